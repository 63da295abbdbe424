/**
 * Step Functions Standard history events per state visit, as documented in docs/scale.md
 * (from the service's HistoryEvent types). A Lambda task visit that succeeds at once:
 * TaskStateEntered, LambdaFunctionScheduled, LambdaFunctionStarted, LambdaFunctionSucceeded,
 * TaskStateExited. Each retry adds LambdaFunctionFailed/TimedOut, Scheduled, Started.
 */
export const EVENTS_PER_VISIT: Readonly<Record<string, number>> = {
  Task: 5,
  Choice: 2,
  Pass: 2,
  Succeed: 2,
  Fail: 1,
  Wait: 2,
  /** ParallelStateEntered, ParallelStateStarted, ParallelStateSucceeded, ParallelStateExited. */
  Parallel: 4,
  /** MapStateEntered, MapStateStarted (or MapRunStarted), MapStateSucceeded (or MapRunSucceeded), MapStateExited. */
  Map: 4,
};
export const EVENTS_PER_RETRY = 3;
/** ExecutionStarted and ExecutionSucceeded/Failed. */
export const EVENTS_PER_EXECUTION = 2;
/** MapIterationStarted and MapIterationSucceeded, per item of an inline Map. */
export const EVENTS_PER_INLINE_ITERATION = 2;

export interface AslState {
  readonly Type: string;
  readonly Branches?: { States: Record<string, AslState> }[];
  readonly ItemProcessor?: { ProcessorConfig?: { Mode?: string }; States: Record<string, AslState> };
}

/** How often each state is entered in one execution (or one Map item); states not named: once. */
export type Visits = Readonly<Record<string, number>>;

export interface HistoryEstimate {
  /** Events of the execution itself. */
  readonly events: number;
  /** Events of one child execution of each Distributed Map (their own histories). */
  readonly children: Readonly<Record<string, number>>;
}

/**
 * Count the history events of an execution that takes `visits` through `states`. An inline Map
 * counts its `items` iterations in the parent; a Distributed Map starts one child execution per item.
 */
export function estimateHistory(
  states: Readonly<Record<string, AslState>>,
  visits: Visits,
  items: Readonly<Record<string, number>>,
  retries = 0,
): HistoryEstimate {
  let events = 0;
  const children: Record<string, number> = {};
  for (const [name, state] of Object.entries(states)) {
    const count = visits[name] ?? 1;
    const perVisit = EVENTS_PER_VISIT[state.Type];
    if (perVisit === undefined) throw new Error(`no event count for state type ${state.Type}`);
    events += count * perVisit;
    for (const branch of state.Branches ?? []) {
      const inner = estimateHistory(branch.States, visits, items);
      events += count * inner.events;
      Object.assign(children, inner.children);
    }
    if (state.ItemProcessor) {
      const inner = estimateHistory(state.ItemProcessor.States, visits, items);
      const perItem = inner.events;
      if (state.ItemProcessor.ProcessorConfig?.Mode === 'DISTRIBUTED') {
        children[name] = EVENTS_PER_EXECUTION + perItem;
      } else {
        events += count * (items[name] ?? 0) * (EVENTS_PER_INLINE_ITERATION + perItem);
      }
    }
  }
  return { events: events + retries * EVENTS_PER_RETRY, children };
}
