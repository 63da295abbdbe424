import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The very file CDK deploys. */
export const ASL_PATH = path.join(__dirname, '..', 'statemachines', 'archive.asl.json');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export function loadDefinition(file = ASL_PATH): JsonObject {
  return JSON.parse(readFileSync(file, 'utf8'));
}

const PLACEHOLDER = /^\$\{([A-Za-z0-9]+)\}$/;

/** Replace `"${Name}"` values as CDK's definition substitutions do; a missing one is an error. */
export function substitute(definition: JsonObject, substitutions: Readonly<Record<string, string>>): JsonObject {
  const visit = (value: Json): Json => {
    if (typeof value === 'string') {
      const name = PLACEHOLDER.exec(value)?.[1];
      if (name === undefined) return value;
      const replacement = substitutions[name];
      if (replacement === undefined) throw new Error(`no substitution for \${${name}}`);
      return replacement;
    }
    if (Array.isArray(value)) return value.map(visit);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v)]));
    return value;
  };
  return visit(definition) as JsonObject;
}

/** Fields only a Distributed Map has; the local interpreter runs every Map inline. */
const DISTRIBUTED_ONLY = ['Label', 'ToleratedFailurePercentage', 'ToleratedFailureCount'];
const NOT_EMULATED = [
  'ItemReader',
  'ItemBatcher',
  'ResultWriter',
  'ToleratedFailurePercentagePath',
  'ToleratedFailureCountPath',
];

function inlineMap(name: string, state: JsonObject): JsonObject {
  const processor = state.ItemProcessor as JsonObject;
  const config = processor.ProcessorConfig as JsonObject | undefined;
  if (config?.Mode !== 'DISTRIBUTED') return state;
  const unsupported = NOT_EMULATED.filter((field) => field in state);
  if (unsupported.length > 0) {
    throw new Error(`Map "${name}" uses ${unsupported.join(', ')}, which the local runner cannot run inline`);
  }
  const local = Object.fromEntries(Object.entries(state).filter(([field]) => !DISTRIBUTED_ONLY.includes(field)));
  return { ...local, ItemProcessor: { ...processor, ProcessorConfig: { Mode: 'INLINE' } } };
}

function mapStates(states: JsonObject, transform: (name: string, state: JsonObject) => JsonObject): JsonObject {
  return Object.fromEntries(
    Object.entries(states).map(([name, raw]) => {
      let state = transform(name, raw as JsonObject);
      if (state.Type === 'Parallel') {
        const branches = (state.Branches as JsonObject[]).map((branch) => ({
          ...branch,
          States: mapStates(branch.States as JsonObject, transform),
        }));
        state = { ...state, Branches: branches };
      }
      if (state.Type === 'Map') {
        const processor = (state.ItemProcessor ?? state.Iterator) as JsonObject;
        state = {
          ...state,
          ItemProcessor: { ...processor, States: mapStates(processor.States as JsonObject, transform) },
        };
      }
      return [name, state];
    }),
  );
}

/**
 * The documented local step: the same definition, with each Distributed Map turned into an
 * inline Map over the same items and the same ItemProcessor states. Nothing else changes.
 */
export function toLocalDefinition(definition: JsonObject): JsonObject {
  return {
    ...definition,
    States: mapStates(definition.States as JsonObject, (name, state) =>
      state.Type === 'Map' ? inlineMap(name, state) : state,
    ),
  };
}

/** Every Task state name with the substitution name of its Lambda function. */
export function taskStates(definition: JsonObject): Map<string, string> {
  const tasks = new Map<string, string>();
  mapStates(definition.States as JsonObject, (name, state) => {
    const placeholder = typeof state.Resource === 'string' ? PLACEHOLDER.exec(state.Resource)?.[1] : undefined;
    if (state.Type === 'Task' && placeholder) tasks.set(name, placeholder);
    return state;
  });
  return tasks;
}

/** Every Wait state's name: the local runner shortens their waits. */
export function waitStates(definition: JsonObject): string[] {
  const names: string[] = [];
  mapStates(definition.States as JsonObject, (name, state) => {
    if (state.Type === 'Wait') names.push(name);
    return state;
  });
  return names;
}
