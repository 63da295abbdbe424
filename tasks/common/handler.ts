import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { MIDDY_TIMEOUT_ERROR, TransientAwsError } from './errors';
import { logger } from './logger';

const RETRIED_ERRORS = new Set([TransientAwsError.name, MIDDY_TIMEOUT_ERROR]);

/** Options the tasks receive besides their input. */
export interface InvocationContext {
  /** Milliseconds until the Lambda deadline. */
  readonly remainingMs: () => number;
  readonly signal?: AbortSignal;
}

interface WithRun {
  readonly run?: { readonly executionId?: string };
  readonly executionId?: string;
}

/**
 * The thin Middy wrapper every task uses: correlation id from the execution,
 * one log line per failure, early timeout so retries can resume.
 */
export function makeHandler<I, O>(name: string, core: (input: I, invocation: InvocationContext) => Promise<O>) {
  return middy<I, O, Error, Context>({ timeoutEarlyInMillis: 1000 }).handler(async (event, context, options) => {
    const correlation = (event as WithRun).run?.executionId ?? (event as WithRun).executionId;
    logger.addContext(context);
    if (correlation) logger.setCorrelationId(correlation);
    try {
      return await core(event, {
        remainingMs: () => context.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY,
        signal: options?.signal,
      });
    } catch (error) {
      // The state machine retries these; they are worth a warning, not an alarm.
      const retried = RETRIED_ERRORS.has((error as Error).name);
      logger[retried ? 'warn' : 'error'](`${name} failed`, { error: error as Error });
      throw error;
    }
  });
}
