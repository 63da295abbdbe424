/**
 * `npm run diagram [-- --check]`: draw the state machine as a Mermaid flowchart from
 * statemachines/archive.asl.json and write it into README.md between the diagram markers.
 * With `--check` nothing is written: it exits 1 when README's diagram is not what the ASL gives,
 * so a stale diagram fails the build instead of misleading readers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadDefinition } from '../sandbox/local-definition';

/** The parts of an ASL state the diagram draws. */
export interface AslState {
  readonly Type: string;
  /** A Task's resource: `${<Task>FunctionArn}`, filled in by CDK. */
  readonly Resource?: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Default?: string;
  readonly Choices?: readonly ChoiceRule[];
  readonly Catch?: readonly { readonly ErrorEquals: readonly string[]; readonly Next: string }[];
  readonly Branches?: AslMachine[];
  readonly ItemProcessor?: AslMachine & { readonly ProcessorConfig?: { readonly Mode?: string } };
  /** The older name of ItemProcessor, still accepted by Step Functions. */
  readonly Iterator?: AslMachine;
  readonly MaxConcurrency?: number;
  readonly MaxConcurrencyPath?: string;
}

export interface AslMachine {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, AslState>>;
}

/** A Choice rule or one of its nested conditions (And, Or, Not), JSONPath or JSONata. */
export type ChoiceRule = { readonly [field: string]: unknown };

export const README_PATH = path.join(__dirname, '..', 'README.md');
export const DIAGRAM_START = '<!-- diagram:start -->';
export const DIAGRAM_END = '<!-- diagram:end -->';
const ASL_FILE = 'statemachines/archive.asl.json';

/** Mermaid words that break a flowchart when used as a node id. */
const RESERVED_IDS = new Set(['end', 'graph', 'flowchart', 'subgraph', 'style', 'class', 'classdef', 'click']);

/** Readable, unique Mermaid ids from state names (which may hold spaces, `?` and any other character). */
function idAllocator() {
  const used = new Set<string>();
  return (name: string): string => {
    const base =
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_+|_+$/g, '') || 'state';
    const first = RESERVED_IDS.has(base) || /^\d/.test(base) ? `s_${base}` : base;
    let id = first;
    for (let suffix = 2; used.has(id); suffix++) id = `${first}_${suffix}`;
    used.add(id);
    return id;
  };
}

/** Ids for every state of every scope, in ASL order, so the same names give the same ids on every run. */
function assignIds(
  machine: AslMachine,
  allocate: (name: string) => string,
  ids = new Map<string, string>(),
): Map<string, string> {
  for (const [name, state] of Object.entries(machine.States)) {
    ids.set(name, allocate(name));
    for (const branch of state.Branches ?? []) assignIds(branch, allocate, ids);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) assignIds(processor, allocate, ids);
  }
  return ids;
}

/** The Mermaid id of every state, by state name: what the diagram's edges connect. */
export function stateIds(definition: AslMachine): ReadonlyMap<string, string> {
  return assignIds(definition, idAllocator());
}

/** Text inside a quoted Mermaid label: quotes and angle brackets as Mermaid entity codes. */
const label = (text: string) => `"${text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')}"`;

const COMPARISON =
  /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals|Matches)(Path)?$/;
const SYMBOLS: Readonly<Record<string, string>> = {
  Equals: '==',
  LessThan: '<',
  GreaterThan: '>',
  LessThanEquals: '<=',
  GreaterThanEquals: '>=',
  Matches: 'matches',
};

/** A Choice rule as a short condition: `$.done == false`, `($.a == 'x') and (not ($.b is present))`. */
export function describeCondition(rule: ChoiceRule): string {
  if (typeof rule.Condition === 'string') return rule.Condition;
  if (Array.isArray(rule.And))
    return rule.And.map((inner: ChoiceRule) => `(${describeCondition(inner)})`).join(' and ');
  if (Array.isArray(rule.Or)) return rule.Or.map((inner: ChoiceRule) => `(${describeCondition(inner)})`).join(' or ');
  if (rule.Not && typeof rule.Not === 'object') return `not (${describeCondition(rule.Not as ChoiceRule)})`;
  const variable = String(rule.Variable ?? '?');
  for (const [field, value] of Object.entries(rule)) {
    const test = /^Is(Present|Null|String|Numeric|Boolean|Timestamp)$/.exec(field)?.[1];
    if (test) return `${variable} ${value === false ? 'is not' : 'is'} ${test.toLowerCase()}`;
    const comparison = COMPARISON.exec(field);
    if (comparison) {
      // Single quotes read better than Mermaid's escaped double quotes in the raw Markdown.
      const operand = comparison[3] || typeof value !== 'string' ? String(value) : `'${value}'`;
      return `${variable} ${SYMBOLS[comparison[2] ?? ''] ?? field} ${operand}`;
    }
  }
  return `${variable} ?`;
}

function mapTitle(name: string, state: AslState): string {
  const mode = state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED' ? 'Distributed Map' : 'Map';
  const concurrency = state.MaxConcurrencyPath
    ? `MaxConcurrency from ${state.MaxConcurrencyPath}`
    : state.MaxConcurrency
      ? `MaxConcurrency ${state.MaxConcurrency}`
      : 'MaxConcurrency unlimited';
  return `${name} · ${mode}, ${concurrency}`;
}

const SHAPES: Readonly<Record<string, (text: string) => string>> = {
  Task: (text) => `[${text}]`,
  Choice: (text) => `{${text}}`,
  Wait: (text) => `{{${text}}}`,
  Pass: (text) => `(${text})`,
  Fail: (text) => `([${text}]):::fail`,
  Succeed: (text) => `([${text}]):::succeed`,
};

/** Builds the flowchart: node declarations nested in subgraphs first, then every edge. */
class FlowchartWriter {
  private readonly nodes: string[] = [];
  private readonly edges: string[] = [];
  private readonly allocate = idAllocator();

  constructor(private readonly definition: AslMachine) {}

  render(): string {
    const ids = assignIds(this.definition, this.allocate);
    const start = this.allocate('Start');
    this.nodes.push(`  ${start}((${label('Start')})):::terminal`);
    this.edges.push(`  ${start} --> ${ids.get(this.definition.StartAt)}`);
    this.scope(this.definition, ids, 'run end', '  ');
    return [
      'flowchart TD',
      `  %% Generated from ${ASL_FILE} by \`npm run diagram\`: change the ASL, then run it again.`,
      ...this.nodes,
      ...this.edges,
      '  classDef fail fill:#fde2e2,stroke:#b42318,color:#7a271a',
      '  classDef succeed fill:#dcfae6,stroke:#067647,color:#054f31',
      '  classDef terminal fill:#eaecf0,stroke:#475467,color:#101828',
    ].join('\n');
  }

  /** One scope (the machine, a branch, an item processor): its states, and an end node if any state ends it. */
  private scope(machine: AslMachine, ids: Map<string, string>, endName: string, indent: string): void {
    let endId: string | undefined;
    const ending = () => {
      endId ??= this.allocate(endName);
      return endId;
    };
    for (const [name, state] of Object.entries(machine.States)) {
      const id = ids.get(name) as string;
      this.state(name, state, id, ids, indent);
      this.stateEdges(state, id, ids, ending);
    }
    if (endId) this.nodes.push(`${indent}${endId}((${label('End')})):::terminal`);
  }

  private state(name: string, state: AslState, id: string, ids: Map<string, string>, indent: string): void {
    const processor = state.ItemProcessor ?? state.Iterator;
    if (state.Type === 'Parallel') {
      this.nodes.push(`${indent}subgraph ${id} [${label(`${name} · Parallel`)}]`);
      (state.Branches ?? []).forEach((branch, index) => {
        const branchId = this.allocate(`${name} branch ${index + 1}`);
        this.nodes.push(`${indent}  subgraph ${branchId} [${label(`branch ${index + 1}`)}]`);
        this.scope(branch, ids, `${name} branch ${index + 1} end`, `${indent}    `);
        this.nodes.push(`${indent}  end`);
      });
      this.nodes.push(`${indent}end`);
    } else if (state.Type === 'Map' && processor) {
      this.nodes.push(`${indent}subgraph ${id} [${label(mapTitle(name, state))}]`);
      this.scope(processor, ids, `${name} item end`, `${indent}  `);
      this.nodes.push(`${indent}end`);
    } else {
      const shape = SHAPES[state.Type] ?? SHAPES.Task;
      this.nodes.push(`${indent}${id}${shape?.(label(name))}`);
    }
  }

  private stateEdges(state: AslState, id: string, ids: Map<string, string>, ending: () => string): void {
    const target = (name: string) => {
      const found = ids.get(name);
      if (!found)
        throw new Error(`state ${JSON.stringify(name)} is a transition target but no state of that name exists`);
      return found;
    };
    for (const rule of state.Choices ?? []) {
      this.edges.push(`  ${id} -->|${label(describeCondition(rule))}| ${target(String(rule.Next))}`);
    }
    if (state.Default) this.edges.push(`  ${id} -->|${label('default')}| ${target(state.Default)}`);
    if (state.Next) this.edges.push(`  ${id} --> ${target(state.Next)}`);
    if (state.End) this.edges.push(`  ${id} --> ${ending()}`);
    for (const [next, errors] of catchTargets(state)) {
      this.edges.push(`  ${id} -.->|${label(errors.join(', '))}| ${target(next)}`);
    }
  }
}

/** Catchers grouped by target, in ASL order: one dashed edge per target, labelled with its error names. */
export function catchTargets(state: AslState): Map<string, string[]> {
  const byTarget = new Map<string, string[]>();
  for (const catcher of state.Catch ?? []) {
    byTarget.set(catcher.Next, [...(byTarget.get(catcher.Next) ?? []), ...catcher.ErrorEquals]);
  }
  return byTarget;
}

/** The whole state machine as a Mermaid `flowchart TD`, without the code fence. */
export function aslToMermaid(definition: AslMachine): string {
  return new FlowchartWriter(definition).render();
}

/** What README holds between the markers (markers excluded). */
export function diagramBlock(definition: AslMachine): string {
  return [
    '```mermaid',
    aslToMermaid(definition),
    '```',
    '',
    `Generated from \`${ASL_FILE}\` by \`npm run diagram\` (\`npm run diagram -- --check\` fails when it is stale).`,
    'Rectangles are Lambda tasks, diamonds choices, hexagons waits, rounded boxes passes, red and green',
    'stadiums the Fail and Succeed states. Boxes around states are the Parallel branches and the Map item',
    'processors; dashed edges are Catch paths, labelled with the errors they catch.',
  ].join('\n');
}

function markerPositions(readme: string): { start: number; end: number } {
  const start = readme.indexOf(DIAGRAM_START);
  const end = readme.indexOf(DIAGRAM_END);
  if (start < 0 || end < start) {
    throw new Error(`README.md needs the markers ${DIAGRAM_START} and ${DIAGRAM_END}, in that order`);
  }
  return { start: start + DIAGRAM_START.length, end };
}

/** README with the block between the markers replaced by the diagram of `definition`. */
export function withDiagram(readme: string, definition: AslMachine): string {
  const { start, end } = markerPositions(readme);
  return `${readme.slice(0, start)}\n${diagramBlock(definition)}\n${readme.slice(end)}`;
}

/** Whether README's diagram is the one `definition` gives. */
export function isDiagramCurrent(readme: string, definition: AslMachine): boolean {
  return withDiagram(readme, definition) === readme;
}

/** The definition CDK deploys. */
export function loadAsl(): AslMachine {
  return loadDefinition() as unknown as AslMachine;
}

function main(): void {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const readme = readFileSync(README_PATH, 'utf8');
  const definition = loadAsl();
  if (values.check) {
    if (isDiagramCurrent(readme, definition)) return;
    process.stderr.write(`README.md's diagram differs from ${ASL_FILE}: run \`npm run diagram\`\n`);
    process.exit(1);
  }
  writeFileSync(README_PATH, withDiagram(readme, definition));
  process.stderr.write(`README.md: diagram of ${ASL_FILE} written\n`);
}

if (require.main === module) main();
