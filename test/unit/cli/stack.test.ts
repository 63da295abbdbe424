import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CliError } from '../../../cli/errors';
import { stackOutput } from '../../../cli/stack';
import { REGION } from './helpers';

const cfn = new CloudFormationClient({ region: REGION, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const cfnMock = mockClient(CloudFormationClient);

const outputs = [
  {
    OutputKey: 'StateMachineArn',
    OutputValue: 'arn:aws:states:eu-west-1:123456789012:stateMachine:RdsLogArchive-Archive',
  },
  { OutputKey: 'BucketName', OutputValue: 'rdslogarchive-archivebucket-1a2b3c' },
];

function cfnError(name: string, message: string) {
  return new CloudFormationServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message });
}

beforeEach(() => cfnMock.reset());

describe('stackOutput', () => {
  it('reads the named output of the stack', async () => {
    cfnMock.on(DescribeStacksCommand).resolves({
      Stacks: [
        { StackName: 'RdsLogArchive', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(), Outputs: outputs },
      ],
    });

    await expect(stackOutput(cfn, 'RdsLogArchive', 'BucketName', '--bucket BUCKET')).resolves.toBe(
      'rdslogarchive-archivebucket-1a2b3c',
    );
    expect(cfnMock).toHaveReceivedCommandWith(DescribeStacksCommand, { StackName: 'RdsLogArchive' });
  });

  it('says where it looked and what to do when the stack does not exist', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(cfnError('ValidationError', 'Stack with id Nope does not exist'));

    const failure = stackOutput(cfn, 'Nope', 'StateMachineArn', '--state-machine-arn ARN');

    await expect(failure).rejects.toThrow(CliError);
    await expect(failure).rejects.toThrow(
      'stack "Nope" not found in eu-west-1: deploy it (npx cdk deploy), name another with --stack or --region, or pass --state-machine-arn ARN',
    );
  });

  it('names the missing output, the outputs there are and the stack status', async () => {
    cfnMock.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'RdsLogArchive',
          StackStatus: 'UPDATE_ROLLBACK_COMPLETE',
          CreationTime: new Date(),
          Outputs: outputs.slice(1),
        },
      ],
    });

    await expect(stackOutput(cfn, 'RdsLogArchive', 'StateMachineArn', '--state-machine-arn ARN')).rejects.toThrow(
      'stack "RdsLogArchive" (UPDATE_ROLLBACK_COMPLETE) has no output StateMachineArn (outputs: BucketName): update the stack, or pass --state-machine-arn ARN',
    );
  });

  it('reports any other CloudFormation error with the call that failed', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .rejects(cfnError('AccessDenied', 'not authorized to perform cloudformation:DescribeStacks'));

    await expect(stackOutput(cfn, 'RdsLogArchive', 'BucketName', '--bucket BUCKET')).rejects.toThrow(
      'DescribeStacks RdsLogArchive failed: AccessDenied: not authorized to perform cloudformation:DescribeStacks',
    );
  });
});
