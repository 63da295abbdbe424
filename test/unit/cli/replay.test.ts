import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, type InvokeCommandOutput, LambdaClient, LambdaServiceException } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { runCli } from '../../../cli/cli';
import { NOW, testCli } from './helpers';

const lambdaMock = mockClient(LambdaClient);
const cfnMock = mockClient(CloudFormationClient);

const FUNCTION = 'RdsLogArchive-ForwardFunction-Ab12Cd34';
const COUNTS = { objects: 3, documents: 1200, delivered: 1200, failed: 0 };
/** A reply payload: the CLI reads it as the plain bytes it is. */
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as InvokeCommandOutput['Payload'];

function stackWithOutputs(outputs: Record<string, string>) {
  cfnMock.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'RdsLogArchive',
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: new Date(NOW),
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  });
}

/** The replay request the function was invoked with. */
function sentRequest(): unknown {
  const payload = lambdaMock.commandCalls(InvokeCommand)[0]?.args[0].input.Payload as Uint8Array;
  return JSON.parse(new TextDecoder().decode(payload));
}

beforeEach(() => {
  lambdaMock.reset();
  cfnMock.reset();
  stackWithOutputs({ BucketName: 'archive-bucket', ForwardFunctionName: FUNCTION });
  lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: json(COUNTS) });
});

describe('replay', () => {
  it("invokes the stack's forward function with the default prefix and prints its counts", async () => {
    const cli = testCli();

    await expect(runCli(['replay'], cli.deps)).resolves.toBe(0);

    expect(cfnMock).toHaveReceivedCommandWith(DescribeStacksCommand, { StackName: 'RdsLogArchive' });
    expect(lambdaMock).toHaveReceivedCommandWith(InvokeCommand, {
      FunctionName: FUNCTION,
      InvocationType: 'RequestResponse',
    });
    expect(sentRequest()).toEqual({ replay: { prefix: 'forward-failed/' } });
    expect(cli.stdout.text).toBe(
      [
        `replayed forward-failed/ with ${FUNCTION}`,
        '  objects    3',
        '  documents  1200',
        '  delivered  1200',
        '  failed     0',
        '',
      ].join('\n'),
    );
  });

  it('turns --date into the prefix of that UTC day and passes --max-objects', async () => {
    const cli = testCli();

    await runCli(['replay', '--date', '2026-11-22', '--max-objects', '25'], cli.deps);

    expect(sentRequest()).toEqual({ replay: { prefix: 'forward-failed/2026/11/22/', maxObjects: 25 } });
  });

  it('uses --function without reading the stack, in the region of a function ARN', async () => {
    const arn = 'arn:aws:lambda:us-east-2:123456789012:function:Forwarder';
    const regions: (string | undefined)[] = [];
    const cli = testCli({
      lambda: (region) => {
        regions.push(region);
        return new LambdaClient({ region, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
      },
    });

    await expect(
      runCli(['replay', '--function', arn, '--prefix', 'forward-failed/2026/11/22/09/'], cli.deps),
    ).resolves.toBe(0);

    expect(cfnMock.calls()).toHaveLength(0);
    expect(regions).toEqual(['us-east-2']);
    expect(lambdaMock).toHaveReceivedCommandWith(InvokeCommand, { FunctionName: arn });
    expect(sentRequest()).toEqual({ replay: { prefix: 'forward-failed/2026/11/22/09/' } });
  });

  it('with --json prints one document: the function, the request and the counts', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: json({ source: 'replay', ...COUNTS }) });
    const cli = testCli();

    await runCli(['replay', '--date', '2026-11-22', '--json'], cli.deps);

    expect(JSON.parse(cli.stdout.text)).toEqual({
      functionName: FUNCTION,
      prefix: 'forward-failed/2026/11/22/',
      ...COUNTS,
    });
  });

  it('exits 1 when some documents failed again, and says they were stored again', async () => {
    lambdaMock
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, Payload: json({ objects: 2, documents: 10, delivered: 7, failed: 3 }) });
    const cli = testCli();

    await expect(runCli(['replay'], cli.deps)).resolves.toBe(1);

    expect(cli.stdout.text).toContain('  failed     3 (stored again under forward-failed/)');
  });

  it("exits 1 with the function's own error when the function failed", async () => {
    lambdaMock.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: json({ errorType: 'ConfigurationError', errorMessage: 'FORWARD_ENDPOINT: missing', trace: [] }),
    });
    const cli = testCli();

    await expect(runCli(['replay', '--json'], cli.deps)).resolves.toBe(1);

    const message = `replay failed in ${FUNCTION}: ConfigurationError: FORWARD_ENDPOINT: missing`;
    expect(cli.stderr.text).toContain(message);
    expect(JSON.parse(cli.stdout.text)).toEqual({ error: { kind: 'error', message }, exitCode: 1 });
  });

  it('refuses a reply that is not replay counts (exit 3)', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: json({ statusCode: 200 }) });
    const cli = testCli();

    await expect(runCli(['replay'], cli.deps)).resolves.toBe(3);

    expect(cli.stderr.text).toContain(`${FUNCTION} did not answer with replay counts: {"statusCode":200}`);
  });

  it('reports an Invoke the service refused with the call that failed (exit 3)', async () => {
    lambdaMock.on(InvokeCommand).rejects(
      new LambdaServiceException({
        name: 'ResourceNotFoundException',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
        message: `Function not found: ${FUNCTION}`,
      }),
    );
    const cli = testCli();

    await expect(runCli(['replay'], cli.deps)).resolves.toBe(3);

    expect(cli.stderr.text).toContain(
      `Invoke ${FUNCTION} failed: ResourceNotFoundException: Function not found: ${FUNCTION}`,
    );
  });

  it('says to update the stack or pass --function when the stack has no ForwardFunctionName output', async () => {
    stackWithOutputs({ BucketName: 'archive-bucket' });
    const cli = testCli();

    await expect(runCli(['replay'], cli.deps)).resolves.toBe(3);

    expect(cli.stderr.text).toContain('has no output ForwardFunctionName (outputs: BucketName)');
    expect(cli.stderr.text).toContain('or pass --function NAME (the output exists only when forwarding is configured)');
    expect(lambdaMock.calls()).toHaveLength(0);
  });

  it.each([
    [['--prefix', 'logs/2026/'], '--prefix: got "logs/2026/"; expected a key prefix under forward-failed/'],
    [['--prefix', 'forward-failed/../secrets/'], '--prefix: got "forward-failed/../secrets/"'],
    [['--date', '2026-02-30'], '--date: got "2026-02-30"; expected a UTC day YYYY-MM-DD'],
    [['--date', '22/11/2026'], '--date: got "22/11/2026"'],
    [['--date', '2026-11-22', '--prefix', 'forward-failed/'], 'give --prefix or --date, not both'],
    [['--max-objects', '0'], '--max-objects: got "0"; expected a whole number from 1 to 10000'],
    [['--max-objects', '2.5'], '--max-objects: got "2.5"'],
    [['--function', 'not a function'], '--function: got "not a function"; expected a Lambda function name or ARN'],
    [['--local'], 'unknown flag --local for "replay"'],
  ])('%j exits 2 before any AWS call: %s', async (argv, message) => {
    const cli = testCli();

    await expect(runCli(['replay', ...argv], cli.deps)).resolves.toBe(2);

    expect(cli.stderr.text).toContain(message);
    expect(cfnMock.calls()).toHaveLength(0);
    expect(lambdaMock.calls()).toHaveLength(0);
  });
});
