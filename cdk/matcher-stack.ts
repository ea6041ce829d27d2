import { CfnOutput, type Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ILambdaDeploymentConfig } from 'aws-cdk-lib/aws-codedeploy';
import type { Code } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { BatchScoring, type BatchScoringProps } from './constructs/batch-scoring';
import { CaptureBucket, type CaptureBucketProps } from './constructs/capture-bucket';
import { LabelsFunction } from './constructs/labels-function';
import { type ApiAuth, MatcherApi } from './constructs/matcher-api';
import { ModelBucket } from './constructs/model-bucket';
import { Monitoring } from './constructs/monitoring';
import { PredictFunction, type PredictFunctionProps } from './constructs/predict-function';
import { type ExistingDatabase, ResultsDatabase } from './constructs/results-database';
import { ResultsQueue } from './constructs/results-queue';
import { RuntimeLayer } from './constructs/runtime-layer';

/** The built artifacts the stack deploys (`npm run build` writes them; see `cdk/app.ts`). */
export interface MatcherCode {
  readonly layer: Code;
  readonly predict: Code;
  /** @default none: results wait in the queue until a writer is deployed */
  readonly writer?: Code;
  /** @default none: no scheduled precision/recall */
  readonly monitor?: Code;
  /** @default none: no batch scoring state machine */
  readonly batch?: Code;
  /** @default none: the API takes no labels (`POST /feedback`) */
  readonly labels?: Code;
}

export interface MatcherStackProps extends StackProps {
  readonly code: MatcherCode;
  /** Predict function settings: memory, concurrency cap, model aliases, limits. @default see PredictFunctionProps */
  readonly predict?: Omit<PredictFunctionProps, 'code' | 'layer' | 'models' | 'resultsQueue'>;
  /** @default `iam` */
  readonly auth?: ApiAuth;
  /** API stage throttling, requests per second and burst. @default 100 and 200 */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /** Models: an existing bucket and the prefix. @default a new bucket, prefix `models` */
  readonly modelBucketName?: string;
  /** @default `models` */
  readonly modelPrefix?: string;
  /** An existing PostgreSQL database. @default a new Aurora PostgreSQL Serverless v2 cluster */
  readonly existingDatabase?: ExistingDatabase;
  /**
   * Shift traffic to a new predict version gradually, rolling back on the 5xx and latency alarms.
   * @default none: a deploy switches the alias at once
   */
  readonly rollout?: ILambdaDeploymentConfig;
  /** Alarm thresholds and where alarms go. @default see MonitoringProps */
  readonly alarms?: {
    readonly maxServerErrorRate?: number;
    readonly maxP99Latency?: Duration;
    readonly precisionFloor?: number;
    readonly recallFloor?: number;
    readonly email?: string;
  };
  /** Captured requests (personal data): retention and sampling. @default see CaptureBucketProps */
  readonly captures?: CaptureBucketProps;
  /** Log retention of every function and the API's access logs. @default one month */
  readonly logRetention?: RetentionDays;
  /** Create API Gateway's account-wide logging role. @default true */
  readonly apiCloudWatchRole?: boolean;
  /** Batch scoring settings (with `code.batch`). @default see BatchScoringProps */
  readonly batch?: Pick<
    BatchScoringProps,
    'prefix' | 'reservedConcurrency' | 'defaultMaxConcurrency' | 'linesPerItem'
  >;
}

/**
 * The matcher in one stack: the runtime layer, the model bucket, the predict function behind a
 * REST API, the results queue with its writer and database, and monitoring.
 */
export class MatcherStack extends Stack {
  constructor(scope: Construct, id: string, props: MatcherStackProps) {
    super(scope, id, props);
    const { code } = props;
    const layer = new RuntimeLayer(this, 'Runtime', { code: code.layer }).layer;
    const models = new ModelBucket(this, 'Models', {
      existingBucketName: props.modelBucketName,
      prefix: props.modelPrefix,
    });
    // The database exists only for the functions that use it.
    const database =
      code.writer || code.monitor
        ? new ResultsDatabase(this, 'Database', { existing: props.existingDatabase })
        : undefined;
    const logRetention = props.logRetention;
    const results = new ResultsQueue(this, 'Results', {
      layer,
      writerCode: code.writer,
      database,
      logRetention,
    });
    const predict = new PredictFunction(this, 'Predict', {
      ...props.predict,
      code: code.predict,
      layer,
      models,
      resultsQueue: results.queue,
      logRetention,
    });
    new CaptureBucket(this, 'Captures', props.captures).captureFrom(predict.function);
    const labels = code.labels
      ? new LabelsFunction(this, 'Labels', {
          code: code.labels,
          layer,
          resultsQueue: results.queue,
          logRetention,
        })
      : undefined;
    const api = new MatcherApi(this, 'Api', {
      predict: predict.alias,
      labels: labels?.alias,
      auth: props.auth,
      rateLimit: props.throttle?.rateLimit,
      burstLimit: props.throttle?.burstLimit,
      logRetention: props.logRetention,
      cloudWatchRole: props.apiCloudWatchRole,
    });
    const monitoring = new Monitoring(this, 'Monitoring', {
      api: api.api,
      predictLogs: predict.function.logGroup,
      resultsQueue: results.queue,
      deadLetterQueue: results.deadLetterQueue,
      layer,
      monitorCode: code.monitor,
      database,
      maxServerErrorRate: props.alarms?.maxServerErrorRate,
      maxP99Latency: props.alarms?.maxP99Latency,
      precisionFloor: props.alarms?.precisionFloor,
      recallFloor: props.alarms?.recallFloor,
      alarmEmail: props.alarms?.email,
      logRetention,
    });
    if (props.rollout) predict.enableGradualRollout(props.rollout, monitoring.serviceAlarms);
    const batch = code.batch
      ? new BatchScoring(this, 'Batch', {
          ...props.batch,
          code: code.batch,
          layer,
          models,
          resultsQueue: results.queue,
          logRetention,
        })
      : undefined;

    new CfnOutput(this, 'MatcherUrl', { value: api.api.urlForPath('/budget_expense_matcher') });
    new CfnOutput(this, 'FunctionName', { value: predict.function.functionName });
    new CfnOutput(this, 'FunctionAlias', { value: predict.alias.functionArn });
    new CfnOutput(this, 'ModelStore', { value: models.url });
    new CfnOutput(this, 'ResultsQueueUrl', { value: results.queue.queueUrl });
    if (batch) {
      new CfnOutput(this, 'BatchStateMachineArn', { value: batch.stateMachine.stateMachineArn });
      new CfnOutput(this, 'BatchInput', { value: `s3://${batch.bucket.bucketName}/${batch.prefix}` });
    }
  }
}
