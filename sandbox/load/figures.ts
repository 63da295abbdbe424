// The figures of a load run, counted from what the stand-ins and the fault proxies recorded.
import type { Sandbox } from '../sandbox';
import type { ProxiedCall } from './fault-proxy';

/** One service's calls as its clients saw them. */
export interface ServiceFigures {
  readonly calls: number;
  readonly throttled: number;
  readonly serverErrors: number;
  /** Connections dropped mid-download (RDS only). */
  readonly resets: number;
  /** Refused answers the client had to repeat: throttled, 5xx, resets, a held export slot, 429. */
  readonly retries: number;
}

const figures = (calls: number, throttled: number, serverErrors: number, resets = 0, other = 0): ServiceFigures => ({
  calls,
  throttled,
  serverErrors,
  resets,
  retries: throttled + serverErrors + resets + other,
});

/** Downloads that sent fewer bytes than another download of the same file: cut short. */
function shortDownloads(calls: Sandbox['rds']['calls']): number {
  const downloads = calls.filter((call) => call.operation === 'DownloadCompleteDBLogFile' && call.status === 200);
  const whole = new Map<string, number>();
  const id = (call: (typeof downloads)[number]) => `${call.instance} ▸ ${call.file}`;
  for (const call of downloads) whole.set(id(call), Math.max(whole.get(id(call)) ?? 0, call.bytes ?? 0));
  return downloads.filter((call) => (call.bytes ?? 0) < (whole.get(id(call)) ?? 0)).length;
}

export interface LoadFigures {
  readonly rds: ServiceFigures;
  readonly cloudwatchLogs: ServiceFigures & { readonly exportSlotBusy: number; readonly exportPolls: number };
  readonly s3: ServiceFigures;
  readonly slack: ServiceFigures;
}

export function countFigures(
  sandbox: Sandbox,
  proxies: { s3?: readonly ProxiedCall[]; logs?: readonly ProxiedCall[] },
): LoadFigures {
  const rds = sandbox.rds.calls;
  const resets = shortDownloads(sandbox.rds.calls);
  const logs = sandbox.cloudwatch.calls;
  const logsProxy = proxies.logs ?? [];
  const s3 = proxies.s3 ?? [];
  const slack = sandbox.slack.calls;
  const slotBusy = logs.filter((call) => call.error === 'LimitExceededException').length;
  return {
    rds: figures(
      rds.length,
      rds.filter((call) => call.error === 'Throttling').length,
      rds.filter((call) => call.status >= 500).length,
      resets,
    ),
    cloudwatchLogs: {
      ...figures(
        logs.length + logsProxy.filter((call) => call.outcome !== 'passed').length,
        logs.filter((call) => call.error === 'ThrottlingException').length +
          logsProxy.filter((c) => c.outcome === 'throttled').length,
        logs.filter((call) => call.status >= 500).length + logsProxy.filter((call) => call.outcome === '5xx').length,
        0,
        slotBusy,
      ),
      exportSlotBusy: slotBusy,
      exportPolls: logs.filter((call) => call.operation === 'DescribeExportTasks').length,
    },
    s3: figures(
      s3.length,
      s3.filter((call) => call.outcome === 'throttled').length,
      s3.filter((call) => call.outcome === '5xx').length,
    ),
    slack: figures(
      slack.length,
      slack.filter((call) => call.status === 429).length,
      slack.filter((call) => call.status >= 500).length,
    ),
  };
}
