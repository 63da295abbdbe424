import { readFileSync } from 'node:fs';
import {
  type AslMachine,
  type AslState,
  aslToMermaid,
  catchTargets,
  DIAGRAM_END,
  DIAGRAM_START,
  describeCondition,
  isDiagramCurrent,
  loadAsl,
  README_PATH,
  stateIds,
  withDiagram,
} from '../../../scripts/asl-diagram';

type MutableMachine = { StartAt: string; States: Record<string, AslState> };

const definition = loadAsl();
const diagram = aslToMermaid(definition);
const ids = stateIds(definition);
const idOf = (name: string) => ids.get(name) ?? `(no id for ${name})`;

/** Every state of the machine, those of Parallel branches and Map item processors included. */
function allStates(machine: AslMachine): [string, AslState][] {
  return Object.entries(machine.States).flatMap(([name, state]) => [
    [name, state] as [string, AslState],
    ...(state.Branches ?? []).flatMap(allStates),
    ...(state.ItemProcessor ? allStates(state.ItemProcessor) : []),
  ]);
}

const copyOf = (machine: AslMachine) => structuredClone(machine) as MutableMachine;

describe('the Mermaid diagram of statemachines/archive.asl.json', () => {
  it('is a top-down flowchart that draws every state, nested ones included', () => {
    const names = allStates(definition).map(([name]) => name);

    expect(diagram.split('\n')[0]).toBe('flowchart TD');
    expect(names).toEqual(expect.arrayContaining(['Resolve Run', 'More Files To Archive?', 'Trim Stream']));
    for (const name of names) expect(diagram).toContain(`"${name}`);
  });

  it('draws every Catch as one dashed edge per target, labelled with the errors it catches', () => {
    const dashed = diagram.split('\n').filter((line) => line.includes('-.->'));
    let catchEdges = 0;

    for (const [name, state] of allStates(definition)) {
      for (const [target, errors] of catchTargets(state)) {
        catchEdges += 1;
        const edge = dashed.find(
          (line) => line.trim().startsWith(`${idOf(name)} -.->|`) && line.endsWith(` ${idOf(target)}`),
        );
        expect(edge).toBeDefined();
        for (const error of errors) expect(edge).toContain(error);
      }
    }

    expect(catchEdges).toBeGreaterThan(10);
    expect(dashed).toHaveLength(catchEdges);
  });

  it('labels Choice edges with their conditions and the default', () => {
    expect(diagram).toContain(`${idOf('More Files To Archive?')} -->|"$.done == false"| ${idOf('Archive Log Files')}`);
    expect(diagram).toContain(
      `${idOf('Export Started?')} -->|"$.export.status == 'slot-busy'"| ${idOf('Wait For Export Slot')}`,
    );
    expect(diagram).toContain(`${idOf('Run Outcome')} -->|"default"| ${idOf('Run Succeeded')}`);
  });

  it('draws the Parallel branches and the Map item processors as titled subgraphs', () => {
    expect(diagram).toContain(`subgraph ${idOf('Archive Logs')} ["Archive Logs · Parallel"]`);
    expect(diagram).toContain(
      `subgraph ${idOf('Archive Each Instance')} ["Archive Each Instance · Distributed Map, MaxConcurrency 10"]`,
    );
    expect(diagram).toContain(
      `subgraph ${idOf('Export Each Log Group')} ["Export Each Log Group · Distributed Map, MaxConcurrency 1"]`,
    );
    expect(diagram).toContain(`subgraph ${idOf('Trim Each Stream')} ["Trim Each Stream · Map, MaxConcurrency 4"]`);
    expect(diagram.match(/^\s*subgraph /gm)).toHaveLength(6);
    expect(diagram.match(/^\s*end$/gm)).toHaveLength(6);
  });

  it('leads a state that ends its scope to that scope’s End node, and Next edges to their targets', () => {
    expect(diagram).toContain(`${idOf('Instance Done')} --> archive_each_instance_item_end`);
    expect(diagram).toContain(`${idOf('Archive Each Instance')} --> archive_logs_branch_1_end`);
    expect(diagram).toContain(`${idOf('Archive Logs')} --> ${idOf('Summarize Run')}`);
    expect(diagram).toContain(`start --> ${idOf('Resolve Run')}`);
  });

  it('gives states readable, unique ids without spaces or question marks', () => {
    const all = [...ids.values()];

    expect(idOf('More Files To Archive?')).toBe('more_files_to_archive');
    expect(new Set(all).size).toBe(all.length);
    for (const id of all) expect(id).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it('keeps ids apart when names differ only in punctuation, and escapes quotes in labels', () => {
    const machine: AslMachine = {
      StartAt: 'Say "hi"',
      States: {
        'Say "hi"': { Type: 'Pass', Next: 'Say hi?' },
        'Say hi?': { Type: 'Pass', Next: 'end' },
        end: { Type: 'Succeed' },
      },
    };

    const text = aslToMermaid(machine);

    expect(text).toContain('say_hi("Say #quot;hi#quot;")');
    expect(text).toContain('say_hi --> say_hi_2');
    expect(text).toContain('say_hi_2 --> s_end');
  });

  it('describes nested, numeric and path conditions', () => {
    const rule = {
      And: [
        { Variable: '$.count', NumericGreaterThanEquals: 3 },
        { Not: { Variable: '$.token', IsPresent: true } },
        { Variable: '$.a', StringEqualsPath: '$.b' },
      ],
    };

    expect(describeCondition(rule)).toBe('($.count >= 3) and (not ($.token is present)) and ($.a == $.b)');
    expect(describeCondition({ Condition: '{% $states.input.done %}' })).toBe('{% $states.input.done %}');
  });
});

describe('the diagram in README.md', () => {
  const readme = readFileSync(README_PATH, 'utf8');

  it('is the one the committed ASL file gives', () => {
    expect(isDiagramCurrent(readme, definition)).toBe(true);
  });

  it('is stale once a state is added to the ASL', () => {
    const changed = copyOf(definition);
    changed.States['Run Succeeded'] = { Type: 'Pass', Next: 'Run Really Succeeded' };
    changed.States['Run Really Succeeded'] = { Type: 'Succeed' };

    expect(isDiagramCurrent(readme, changed)).toBe(false);
  });

  it('is stale once a Catch changes', () => {
    const changed = copyOf(definition);
    const summarize = changed.States['Summarize Run'] as AslState;
    changed.States['Summarize Run'] = {
      ...summarize,
      Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Run Failed' }],
    };

    expect(isDiagramCurrent(readme, changed)).toBe(false);
  });

  it('is replaced between the markers, leaving the text around them', () => {
    const text = `before\n${DIAGRAM_START}\nhand-drawn\n${DIAGRAM_END}\nafter\n`;

    const written = withDiagram(text, definition);

    expect(written.startsWith(`before\n${DIAGRAM_START}\n\`\`\`mermaid\nflowchart TD\n`)).toBe(true);
    expect(written.endsWith(`\n${DIAGRAM_END}\nafter\n`)).toBe(true);
    expect(written).not.toContain('hand-drawn');
    expect(isDiagramCurrent(written, definition)).toBe(true);
  });

  it('cannot be written without both markers', () => {
    expect(() => withDiagram(`text\n${DIAGRAM_END}\n`, definition)).toThrow(DIAGRAM_START);
  });
});
