import { LOCAL_RETRY_PAUSE_MS, LOCAL_WAIT_MS, runOnThisMachine } from '../../../cli/on-this-machine';
import { runLocally } from '../../../sandbox/local-runner';
import { localTasks } from '../../../sandbox/sandbox';

jest.mock('../../../sandbox/local-runner', () => ({ runLocally: jest.fn() }));
jest.mock('../../../sandbox/sandbox', () => ({ localTasks: jest.fn() }));

const runLocallyMock = jest.mocked(runLocally);
const tasks = { ResolveRunFunctionArn: async () => ({}) };
const VARIABLES = ['AWS_REGION', 'ARCHIVE_BUCKET', 'CLUSTERS'];
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('runOnThisMachine', () => {
  it('sets the task environment, then runs the workflow with the real task handlers and real-time waits', async () => {
    jest.mocked(localTasks).mockImplementation(() => {
      expect(process.env.ARCHIVE_BUCKET).toBe('my-archive');
      return tasks;
    });
    runLocallyMock.mockImplementation(async (options) => {
      options.onEvent?.({ type: 'StateExited', state: { name: 'Resolve Run' } });
      return { status: 'SUCCEEDED', output: { status: 'succeeded' } };
    });
    const events: unknown[] = [];

    const result = await runOnThisMachine({
      input: { from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z' },
      executionName: 'local-x',
      env: { AWS_REGION: 'eu-west-1', ARCHIVE_BUCKET: 'my-archive', CLUSTERS: 'orders-aurora' },
      onEvent: (event) => events.push(event),
    });

    expect(result).toEqual({ status: 'SUCCEEDED', output: { status: 'succeeded' } });
    expect(process.env).toMatchObject({ AWS_REGION: 'eu-west-1', CLUSTERS: 'orders-aurora' });
    expect(runLocallyMock).toHaveBeenCalledWith(
      expect.objectContaining({
        input: { from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z' },
        executionName: 'local-x',
        tasks,
        waitMs: LOCAL_WAIT_MS,
        retryPauseMs: LOCAL_RETRY_PAUSE_MS,
      }),
    );
    expect(events).toEqual([{ type: 'StateExited', state: { name: 'Resolve Run' } }]);
  });
});
