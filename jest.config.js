// Four projects, one per level of proof: unit (tasks with SDK mocks), statemachine
// (the real ASL file in the local interpreter), infra (CDK assertions), e2e (the sandbox).
// @middy/* ships ESM only, so it is transformed like our own TypeScript.
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': [
      'ts-jest',
      {
        tsconfig: {
          allowJs: true,
          isolatedModules: true,
          module: 'commonjs',
          moduleResolution: 'node10',
          ignoreDeprecations: '6.0',
        },
        diagnostics: false,
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  // @middy/* exports only an "import" condition, which jest's CommonJS resolver does not follow.
  moduleNameMapper: { '^@middy/([a-z-]+)$': '<rootDir>/node_modules/@middy/$1/index.js' },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  // Global only (ignored inside a project): e2e runs include real retry back-off.
  testTimeout: 120_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...shared, displayName: 'statemachine', testMatch: ['<rootDir>/test/statemachine/**/*.test.ts'] },
    { ...shared, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/e2e/setup-env.ts'],
    },
  ],
};
