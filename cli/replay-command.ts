import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ReplayOutcome, ReplayRequest } from '../tasks/common/forward/replay';
import { booleanFlag, type ParsedArgs } from './args';
import { awsFailure } from './aws';
import { awsFlags } from './aws-flags';
import type { CliDeps } from './context';
import { CliError, EXIT, type ExitCode } from './errors';
import { writeJson, writeLines } from './output';
import { functionFlag, replayRequestOf } from './replay-flags';
import { stackOutput } from './stack';

const COUNT_KEYS = ['objects', 'documents', 'delivered', 'failed'] as const;

const regionOfFunctionArn = (name: string) => (name.startsWith('arn:') ? name.split(':')[3] : undefined);

function decoded(payload: Uint8Array | undefined): unknown {
  const text = new TextDecoder().decode(payload ?? new Uint8Array());
  try {
    return JSON.parse(text || 'null');
  } catch {
    return text;
  }
}

function countsOf(reply: unknown, functionName: string): ReplayOutcome {
  const counts = reply as Partial<Record<(typeof COUNT_KEYS)[number], unknown>> | null;
  if (counts && COUNT_KEYS.every((key) => Number.isInteger(counts[key]))) {
    // The handler may add fields of its own (`source`); the command promises these four.
    const { objects, documents, delivered, failed } = counts as ReplayOutcome;
    return { objects, documents, delivered, failed };
  }
  throw new CliError(
    `${functionName} did not answer with replay counts: ${JSON.stringify(reply)?.slice(0, 300)} (is it the forward function?)`,
  );
}

/** Invoke and wait (RequestResponse); an error the function threw is a failed replay (exit 1). */
async function invokeReplay(
  lambda: LambdaClient,
  functionName: string,
  request: ReplayRequest,
): Promise<ReplayOutcome> {
  const payload = new TextEncoder().encode(JSON.stringify({ replay: request }));
  let reply: { FunctionError?: string; Payload?: Uint8Array };
  try {
    reply = await lambda.send(
      new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: payload }),
    );
  } catch (error) {
    throw awsFailure(`Invoke ${functionName}`, error);
  }
  const body = decoded(reply.Payload);
  if (reply.FunctionError) {
    const { errorType, errorMessage } = (body ?? {}) as { errorType?: string; errorMessage?: string };
    const reason = errorMessage ? `${errorType ?? reply.FunctionError}: ${errorMessage}` : reply.FunctionError;
    throw new CliError(`replay failed in ${functionName}: ${reason}`, EXIT.runFailed);
  }
  return countsOf(body, functionName);
}

function countLines(functionName: string, request: ReplayRequest, counts: ReplayOutcome): string[] {
  const stillFailed = counts.failed > 0 ? ` (stored again under ${request.prefix.split('/')[0]}/)` : '';
  return [
    `replayed ${request.prefix} with ${functionName}`,
    `  objects    ${counts.objects}`,
    `  documents  ${counts.documents}`,
    `  delivered  ${counts.delivered}`,
    `  failed     ${counts.failed}${stillFailed}`,
  ];
}

/**
 * `replay`: ask the deployed forward function to send the failed items stored under a prefix
 * again, and print what it did. Exits 1 when the function failed or some documents still failed
 * (they are stored again for a later replay).
 */
export async function replayCommand(args: ParsedArgs, deps: CliDeps): Promise<ExitCode> {
  const request = replayRequestOf(args);
  const given = functionFlag(args);
  const flags = awsFlags(args);
  const functionName =
    given ??
    (await stackOutput(
      deps.cloudFormation(flags.region),
      flags.stack,
      'ForwardFunctionName',
      '--function NAME (the output exists only when forwarding is configured)',
    ));
  const lambda = deps.lambda(regionOfFunctionArn(functionName) ?? flags.region);
  writeLines(deps.stderr, [`replaying ${request.prefix} with ${functionName}…`]);
  const counts = await invokeReplay(lambda, functionName, request);
  if (booleanFlag(args, 'json')) writeJson(deps.stdout, { functionName, ...request, ...counts });
  else writeLines(deps.stdout, countLines(functionName, request, counts));
  return counts.failed > 0 ? EXIT.runFailed : EXIT.ok;
}
