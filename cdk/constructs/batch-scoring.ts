import { CfnParameter, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Code, ILayerVersion } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import {
  DefinitionBody,
  DistributedMap,
  JitterType,
  JsonPath,
  ResultWriterV2,
  S3JsonItemReader,
  StateMachine,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { BATCH_METRICS } from '../../lambda/batch/batch-metrics';
import { MatcherFunction } from './matcher-function';
import type { ModelBucket } from './model-bucket';

export interface BatchScoringProps {
  /** The batch function's bundle (`dist/batch/function.zip`). */
  readonly code: Code;
  /** The runtime layer holding TF.js. */
  readonly layer: ILayerVersion;
  /** Where published models are read from: batch scores with the same alias as the API. */
  readonly models: ModelBucket;
  /** @default `live` */
  readonly modelAlias?: string;
  /** Where scores are sent, with role `batch`. @default none: batch scores are not recorded */
  readonly resultsQueue?: IQueue;
  /** The bucket holding requests and replies. @default a new, private, encrypted bucket */
  readonly bucket?: IBucket;
  /** The only key prefix batch reads and writes, ending in `/`. @default `batch/` */
  readonly prefix?: string;
  /**
   * Reserved concurrency of the batch function: its own pool, so batch never takes the predict
   * function's (which has its own cap), and the upper bound of the map's concurrency parameter.
   * @default 10
   */
  readonly reservedConcurrency?: number;
  /**
   * Default of the `BatchMaxConcurrency` stack parameter: map items scored at once. Small, because
   * each item is a function scoring up to 100 requests flat out; raise it per deployment.
   * @default 2
   */
  readonly defaultMaxConcurrency?: number;
  /**
   * Memory in MB, bought for CPU: 1,769 MB is one full vCPU, and batch work is CPU-bound scoring.
   * @default 1769
   */
  readonly memorySize?: number;
  /** Request lines per map item (`BATCH_LINES_PER_ITEM`). @default 100 */
  readonly linesPerItem?: number;
  /** @default one month */
  readonly logRetention?: RetentionDays;
}

/**
 * Batch scoring on Step Functions: a JSONL of requests in S3 → `Plan` (the batch function cuts it
 * into line ranges, written to S3) → a Distributed Map over those references, at most
 * `BatchMaxConcurrency` at a time, each item scored by the batch function and its replies written
 * to S3 → `Summarise` (failed items counted, published, returned). Failed items never fail the run
 * (tolerated 100%); an alarm fires on them. The state machine may touch only the bucket's prefix
 * and the batch function.
 *
 * @example
 * aws stepfunctions start-execution --state-machine-arn <BatchStateMachineArn> \
 *   --input '{"key": "batch/in/requests.jsonl"}'
 */
export class BatchScoring extends Construct {
  readonly bucket: IBucket;
  readonly prefix: string;
  readonly function: MatcherFunction;
  readonly stateMachine: StateMachine;
  readonly maxConcurrency: CfnParameter;
  readonly failedItemsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: BatchScoringProps) {
    super(scope, id);
    // The result writer whose policy this construct narrows to the prefix (see PrefixResultWriter).
    this.node.setContext('@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2', true);
    const prefix = props.prefix ?? 'batch/';
    if (!/^([A-Za-z0-9!_.*'()-]+\/)+$/.test(prefix)) {
      throw new Error(
        `BatchScoring: prefix "${prefix}" must be one or more folder names, each ending in "/" (e.g. "batch/")`,
      );
    }
    const reserved = props.reservedConcurrency ?? 10;
    const defaultMax = props.defaultMaxConcurrency ?? 2;
    if (!Number.isInteger(defaultMax) || defaultMax < 1 || defaultMax > reserved) {
      throw new Error(
        `BatchScoring: defaultMaxConcurrency ${defaultMax} must be a whole number from 1 to reservedConcurrency (${reserved}); more items at once than the function may run would only be throttled`,
      );
    }
    this.prefix = prefix;
    this.bucket =
      props.bucket ??
      new Bucket(this, 'Bucket', {
        encryption: BucketEncryption.S3_MANAGED,
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    this.maxConcurrency = new CfnParameter(this, 'MaxConcurrency', {
      type: 'Number',
      default: defaultMax,
      minValue: 1,
      maxValue: reserved,
      description: `Map items the batch state machine scores at once (at most the batch function's reserved concurrency, ${reserved})`,
    });
    // A parameter's logical id is its path; give it a name an operator types.
    this.maxConcurrency.overrideLogicalId('BatchMaxConcurrency');

    this.function = new MatcherFunction(this, 'Function', {
      code: props.code,
      description: 'Scores batches of matcher requests from S3 for the batch state machine',
      layer: props.layer,
      memorySize: props.memorySize ?? 1769,
      timeout: Duration.minutes(15),
      reservedConcurrency: reserved,
      logRetention: props.logRetention,
      environment: {
        POWERTOOLS_SERVICE_NAME: BATCH_METRICS.service,
        MODEL_STORE: props.models.url,
        MODEL_ALIAS: props.modelAlias ?? 'live',
        TFJS_BACKEND: 'wasm,cpu',
        BATCH_PREFIX: prefix,
        BATCH_LINES_PER_ITEM: String(props.linesPerItem ?? 100),
        ...(props.resultsQueue ? { RESULTS_QUEUE_URL: props.resultsQueue.queueUrl } : {}),
      },
    });
    // Objects under the prefix only: no listing, no other key (bucket.grantRead would add List* on the bucket).
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [this.bucket.arnForObjects(`${prefix}*`)],
      }),
    );
    props.models.grantReadModels(this.function);
    props.resultsQueue?.grantSendMessages(this.function);

    const plan = new LambdaInvoke(this, 'Plan', {
      comment: 'Cut the JSONL into line ranges (written to S3: the map reads references, never requests)',
      lambdaFunction: this.function,
      payload: TaskInput.fromObject({
        action: 'plan',
        bucket: this.bucket.bucketName,
        key: JsonPath.stringAt('$.key'),
        runId: JsonPath.stringAt('$$.Execution.Name'),
      }),
      payloadResponseOnly: true,
      resultPath: '$.plan',
    });
    const scoreItem = new LambdaInvoke(this, 'ScoreItem', {
      comment: 'Score one line range and write its replies to S3',
      lambdaFunction: this.function,
      payloadResponseOnly: true,
    });
    scoreItem.addRetry({
      errors: ['Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException'],
      interval: Duration.seconds(2),
      backoffRate: 2,
      maxAttempts: 6,
      jitterStrategy: JitterType.FULL,
    });
    const map = new DistributedMap(this, 'ScoreItems', {
      comment: 'One child execution per line range; failed items are reported, never fail the run',
      maxConcurrency: this.maxConcurrency.valueAsNumber,
      itemReader: new PrefixJsonItemReader(this.bucket, prefix, JsonPath.stringAt('$.plan.itemsKey')),
      itemSelector: {
        action: 'score',
        runId: JsonPath.stringAt('$$.Execution.Name'),
        bucket: JsonPath.stringAt('$$.Map.Item.Value.bucket'),
        key: JsonPath.stringAt('$$.Map.Item.Value.key'),
        firstLine: JsonPath.numberAt('$$.Map.Item.Value.firstLine'),
        lines: JsonPath.numberAt('$$.Map.Item.Value.lines'),
        start: JsonPath.numberAt('$$.Map.Item.Value.start'),
        end: JsonPath.numberAt('$$.Map.Item.Value.end'),
      },
      toleratedFailurePercentage: 100,
      resultWriterV2: new PrefixResultWriter(this.bucket, `${prefix}map-results`),
      resultPath: '$.map',
    });
    map.itemProcessor(scoreItem);
    const summarise = new LambdaInvoke(this, 'Summarise', {
      comment: 'Count failed items and lines from the map results; publish BatchFailedItems',
      lambdaFunction: this.function,
      payload: TaskInput.fromObject({
        action: 'summarise',
        runId: JsonPath.stringAt('$$.Execution.Name'),
        plan: JsonPath.objectAt('$.plan'),
        map: JsonPath.objectAt('$.map'),
      }),
      payloadResponseOnly: true,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      comment: 'Batch scoring: JSONL of matcher requests in S3 → replies in S3',
      definitionBody: DefinitionBody.fromChainable(plan.next(map).next(summarise)),
    });

    this.failedItemsAlarm = new Alarm(this, 'FailedItems', {
      alarmDescription: `A batch run had map items that failed past their retries; the run's output (Summarise) lists them, and their replies are missing under s3://<bucket>/${prefix}runs/<run>/replies/`,
      metric: new Metric({
        namespace: BATCH_METRICS.namespace,
        metricName: BATCH_METRICS.failedItems,
        dimensionsMap: { service: BATCH_METRICS.service },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}

/** The map's item list reader, allowed to read the prefix only (CDK's own grants the whole bucket). */
class PrefixJsonItemReader extends S3JsonItemReader {
  constructor(
    private readonly readable: IBucket,
    private readonly prefix: string,
    key: string,
  ) {
    super({ bucket: readable, key });
  }

  override providePolicyStatements(): PolicyStatement[] {
    return [
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [this.readable.arnForObjects(`${this.prefix}*`)],
      }),
    ];
  }
}

/** The map's result writer, allowed to write under the prefix only (CDK's own grants the whole bucket). */
class PrefixResultWriter extends ResultWriterV2 {
  constructor(
    private readonly writable: IBucket,
    private readonly writePrefix: string,
  ) {
    super({ bucket: writable, prefix: writePrefix });
  }

  override providePolicyStatements(): PolicyStatement[] {
    return [
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        resources: [this.writable.arnForObjects(`${this.writePrefix}*`)],
      }),
    ];
  }
}
