import { loadDefinition, substitute, taskStates, toLocalDefinition } from '../../sandbox/local-definition';

const definition = loadDefinition();
const withoutDistributedFields = (value: unknown) =>
  JSON.parse(JSON.stringify(value), (key, item) =>
    ['ProcessorConfig', 'Label', 'ToleratedFailurePercentage', 'ToleratedFailureCount'].includes(key)
      ? undefined
      : item,
  );

describe('the local definition', () => {
  it('runs every Distributed Map inline', () => {
    const local = JSON.stringify(toLocalDefinition(definition));

    expect(JSON.stringify(definition)).toContain('"Mode":"DISTRIBUTED"');
    expect(local).not.toContain('DISTRIBUTED');
    expect(local).toContain('"ProcessorConfig":{"Mode":"INLINE"}');
  });

  it('changes nothing else in the deployed file', () => {
    expect(withoutDistributedFields(toLocalDefinition(definition))).toEqual(withoutDistributedFields(definition));
  });

  it('refuses a Distributed Map that reads its items from S3, which it cannot run inline', () => {
    const states = JSON.parse(JSON.stringify(definition.States));
    states['Archive Logs'].Branches[0].States['Archive Each Instance'].ItemReader = {
      Resource: 'arn:aws:states:::s3:getObject',
    };

    expect(() => toLocalDefinition({ ...definition, States: states })).toThrow(/Archive Each Instance.*ItemReader/);
  });

  it('substitutes every function and fails on a missing substitution', () => {
    const names = [...new Set(taskStates(definition).values())];
    const arns = Object.fromEntries(
      names.map((name) => [name, `arn:aws:lambda:us-east-1:000000000000:function:${name}`]),
    );

    expect(JSON.stringify(substitute(definition, arns))).not.toMatch(/\$\{/);
    expect(() => substitute(definition, { ...arns, SummarizeRunFunctionArn: undefined } as never)).toThrow(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder syntax of definition substitutions
      'no substitution for ${SummarizeRunFunctionArn}',
    );
  });

  it('finds every task state by its readable name', () => {
    expect([...taskStates(definition).keys()].sort()).toEqual([
      'Alert Input Rejected',
      'Alert Run Could Not Report',
      'Alert Run Could Not Start',
      'Archive Log Files',
      'Check Export',
      'List Instances',
      'List Log Files',
      'Plan Exports',
      'Plan Trim',
      'Report Run',
      'Resolve Run',
      'Start Export',
      'Summarize Run',
      'Trim Stream',
      'Verify Export',
    ]);
  });
});
