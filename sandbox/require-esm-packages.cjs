// @middy/* publishes only an "import" export condition, so CommonJS code run from source
// (the sandbox, benchmarks, CLI under tsx) cannot require it by name. Node 22 can require an
// ES module by path, so point those names at their entry files. Deployed code is bundled by
// esbuild and does not need this; jest does the same with moduleNameMapper.
const path = require('node:path');
const { registerHooks } = require('node:module');

const ESM_ONLY = /^@middy\/([a-z-]+)$/;
const nodeModules = path.join(__dirname, '..', 'node_modules');

registerHooks({
  resolve(specifier, context, nextResolve) {
    const match = ESM_ONLY.exec(specifier);
    if (!match) return nextResolve(specifier, context);
    return nextResolve(path.join(nodeModules, '@middy', match[1], 'index.js'), context);
  },
});
