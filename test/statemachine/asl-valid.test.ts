import { loadDefinition, substitute, taskStates, toLocalDefinition } from '../../sandbox/local-definition';

// asl-validator ships no type declarations.
const validate: (definition: unknown) => { isValid: boolean; errorsText: () => string } = require('asl-validator');

const definition = loadDefinition();
const arns = Object.fromEntries(
  [...new Set(taskStates(definition).values())].map((name) => [
    name,
    `arn:aws:lambda:eu-west-1:111111111111:function:${name}`,
  ]),
);

describe('the ASL file', () => {
  it('is a valid state machine as deployed', () => {
    const result = validate(substitute(definition, arns));

    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('is a valid state machine as run locally', () => {
    expect(validate(toLocalDefinition(substitute(definition, arns))).isValid).toBe(true);
  });

  it('gives every Task state the standard Lambda retry and a Catch', () => {
    const tasks = [...taskStates(definition).keys()];
    const collect = (
      node: unknown,
      out: Record<string, { Retry?: { ErrorEquals: string[] }[]; Catch?: unknown[] }>,
    ) => {
      if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (tasks.includes(key)) out[key] = value as never;
          collect(value, out);
        }
      }
      return out;
    };
    const found = collect(definition, {});
    for (const name of tasks) {
      const state = found[name];
      expect(state?.Retry?.[0]?.ErrorEquals).toContain('Lambda.ServiceException');
      expect(state?.Catch?.length).toBeGreaterThan(0);
    }
  });
});
