import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { executionArnFor } from '../../../cli/arns';
import type { ManualInput } from '../../../cli/run-input';
import { startRun } from '../../../cli/start';
import { NOW, REGION, STATE_MACHINE_ARN } from './helpers';

const sfn = new SFNClient({ region: REGION, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const sfnMock = mockClient(SFNClient);
const input: ManualInput = { from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z', clusters: ['orders-aurora'] };
const NAME = 'manual-20261120T0000Z-20261121T0000Z-0a1b2c3d';
const arnOf = (name: string) => executionArnFor(STATE_MACHINE_ARN, name);
const request = (again = false) => ({ stateMachineArn: STATE_MACHINE_ARN, name: NAME, input, again, now: () => NOW });
const meta = { $metadata: {} };

beforeEach(() => sfnMock.reset());

describe('startRun', () => {
  it('starts the execution under its name with the normalized input', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: arnOf(NAME), startDate: new Date(NOW) });

    const outcome = await startRun(sfn, request());

    expect(outcome).toEqual({
      kind: 'started',
      executionArn: arnOf(NAME),
      name: NAME,
      startDate: new Date(NOW),
      alreadyRunning: false,
    });
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: STATE_MACHINE_ARN,
      name: NAME,
      input: JSON.stringify(input),
    });
  });

  it('tells a running execution of the same input, which Step Functions returns instead of a new one', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: arnOf(NAME), startDate: new Date(NOW - 5 * 60_000) });

    await expect(startRun(sfn, request())).resolves.toMatchObject({ kind: 'started', alreadyRunning: true });
  });

  it('reports an execution that already exists with its status, and starts nothing else', async () => {
    sfnMock
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', ...meta }));
    sfnMock.on(DescribeExecutionCommand).resolves({
      executionArn: arnOf(NAME),
      stateMachineArn: STATE_MACHINE_ARN,
      name: NAME,
      status: 'SUCCEEDED',
      startDate: new Date('2026-11-21T01:00:00Z'),
      stopDate: new Date('2026-11-21T01:12:00Z'),
    });

    const outcome = await startRun(sfn, request());

    expect(outcome).toMatchObject({
      kind: 'exists',
      name: NAME,
      executionArn: arnOf(NAME),
      execution: { status: 'SUCCEEDED' },
    });
    expect(sfnMock).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: arnOf(NAME) });
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
  });

  it('with again, starts under the first free name of NAME, NAME-2, NAME-3 …', async () => {
    const notFound = new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', ...meta });
    sfnMock
      .on(DescribeExecutionCommand)
      .rejects(notFound)
      .on(DescribeExecutionCommand, { executionArn: arnOf(NAME) })
      .resolves({ status: 'SUCCEEDED' })
      .on(DescribeExecutionCommand, { executionArn: arnOf(`${NAME}-2`) })
      .resolves({ status: 'FAILED' });
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: arnOf(`${NAME}-3`), startDate: new Date(NOW) });

    const outcome = await startRun(sfn, request(true));

    expect(outcome).toMatchObject({ kind: 'started', name: `${NAME}-3`, executionArn: arnOf(`${NAME}-3`) });
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, { name: `${NAME}-3` });
  });

  it('with again, moves on when a free-looking name is taken between the check and the start', async () => {
    sfnMock
      .on(DescribeExecutionCommand)
      .rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', ...meta }));
    sfnMock
      .on(StartExecutionCommand, { name: NAME })
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', ...meta }))
      .on(StartExecutionCommand, { name: `${NAME}-2` })
      .resolves({ executionArn: arnOf(`${NAME}-2`), startDate: new Date(NOW) });

    await expect(startRun(sfn, request(true))).resolves.toMatchObject({ kind: 'started', name: `${NAME}-2` });
  });

  it('says which state machine does not exist', async () => {
    sfnMock
      .on(StartExecutionCommand)
      .rejects(new StateMachineDoesNotExist({ message: 'State Machine Does Not Exist', ...meta }));

    await expect(startRun(sfn, request())).rejects.toThrow(
      `state machine ${STATE_MACHINE_ARN} does not exist: check --state-machine-arn or --stack`,
    );
  });
});
