import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { REPO_ROOT, repoPath } from './repo-paths';

/** The Powertools Logger levels a deployment may choose. */
export const POWERTOOLS_LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type PowertoolsLogLevel = (typeof POWERTOOLS_LOG_LEVELS)[number];

export interface TaskFunctionProps {
  /** The task's file under `tasks/`, without the extension, e.g. `archive-log-files`. */
  readonly task: string;
  /** Chosen per task at the call site, with the reason beside it. */
  readonly memorySize: number;
  /** Chosen per task at the call site, with the reason beside it. */
  readonly timeout: Duration;
  readonly description?: string;
  /**
   * Task configuration, parsed by `tasks/common/config.ts`.
   * @default - none besides the Powertools and Node.js variables
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * How long the function's own log group keeps logs.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * What happens to the log group when the function leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * The Powertools Logger level.
   * @default 'INFO'
   */
  readonly logLevel?: PowertoolsLogLevel;
}

/** `archive-log-files` → `ArchiveLogFiles`: how a task's name appears in construct ids and ASL substitutions. */
export function pascalCase(task: string): string {
  return task.replace(/(^|-)([a-z])/g, (_match, _dash, letter: string) => letter.toUpperCase());
}

/** Why the runtime is not the newest Lambda offers: the reason acknowledged for cdk-nag's AwsSolutions-L1. */
const RUNTIME_REASON =
  'The tasks target Node.js 22 (package.json engines, esbuild target node22) and are tested on it; ' +
  'moving to a newer runtime is a deliberate upgrade with its own test run, not a side effect of a release';

/** The one Lambda construct every task uses: it holds the house defaults so call sites only size the task. */
export class TaskFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: TaskFunctionProps) {
    // Created here rather than by Lambda on first write, so retention and removal are part of the stack.
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    // Its own role rather than the default one with AWSLambdaBasicExecutionRole, whose
    // logs:CreateLogGroup and PutLogEvents apply to every log group of the account: this one may
    // write only to the function's own group, which the stack creates.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.task} task of rds-log-archive`,
      inlinePolicies: {
        logs: new PolicyDocument({
          statements: [
            new PolicyStatement({
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              // The log group's Arn attribute ends in `:*`, which covers its streams.
              resources: [logGroup.logGroupArn],
            }),
          ],
        }),
      },
    });
    super(scope, id, {
      role,
      entry: repoPath('tasks', `${props.task}.ts`),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      // Graviton: cheaper per GB-second for the same work, and the code is plain JavaScript.
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: Tracing.ACTIVE,
      logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: repoPath('package-lock.json'),
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'rds-log-archive',
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
      },
      bundling: {
        // esbuild from node_modules: synth and tests run offline and need no Docker.
        forceDockerBundling: false,
        target: 'node22',
        format: OutputFormat.CJS,
        minify: true,
        // Error classes take their `name` from the class (`new.target.name`) and the ASL's
        // Retry/Catch match on it: minified class names would silently break that contract.
        keepNames: true,
        sourceMap: true,
        // Stack traces need file and line only; leaving the sources out keeps the bundle small.
        sourcesContent: false,
        // The SDK is bundled rather than taken from the runtime, so the deployed code runs the
        // versions the tests ran (@aws-sdk/lib-storage must match client-s3, and the runtime's
        // copy changes without notice). Nothing is external, so ESM-only @middy/core is bundled too.
        bundleAwsSDK: true,
        externalModules: [],
      },
    });
    Validations.of(this).acknowledge({ id: 'AwsSolutions-L1', reason: RUNTIME_REASON });
  }
}
