import { logger } from '../../tasks/common/logger';

/** Keeps the tasks' structured log lines out of the test output. */
export function silenceLogger(): void {
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    jest.spyOn(logger, level).mockImplementation(() => undefined);
  }
}
