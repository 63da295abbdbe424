import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { REPO_ROOT, repoPath } from './repo-paths';

export type PowertoolsLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

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

/** The one Lambda construct every task uses: it holds the house defaults so call sites only size the task. */
export class TaskFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: TaskFunctionProps) {
    // Created here rather than by Lambda on first write, so retention and removal are part of the stack.
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    super(scope, id, {
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
  }
}
