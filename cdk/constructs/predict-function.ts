import { Duration } from 'aws-cdk-lib';
import type { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { type ILambdaDeploymentConfig, LambdaDeploymentGroup } from 'aws-cdk-lib/aws-codedeploy';
import { Alias, type Code, type ILayerVersion } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_LIMITS } from '../../lambda/contract';
import { MatcherFunction } from './matcher-function';
import type { ModelBucket } from './model-bucket';

/** API Gateway gives up on an integration after 29 s; the function must answer before that. */
export const API_INTEGRATION_TIMEOUT = Duration.seconds(29);

export interface PredictFunctionProps {
  /** The handler bundle and default model (`dist/predict/function.zip`). */
  readonly code: Code;
  /** The runtime layer holding TF.js. */
  readonly layer: ILayerVersion;
  /** Where published models are read from. */
  readonly models: ModelBucket;
  /** Where scored results are sent (`RESULTS_QUEUE_URL`). */
  readonly resultsQueue: IQueue;
  /**
   * Memory in MB, bought for CPU rather than space: Lambda allots CPU in proportion to memory
   * (one vCPU at 1,769 MB) and the process stays near 70 MB RSS. `npm run bench` scores 20,000
   * pairs in about 150 ms on one local core, so at 1024 MB (~0.58 vCPU) a request at the
   * 100,000-pair limit takes on the order of 1.3 s, well inside the timeout.
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * Cap on concurrent executions, so a flood of requests cannot take the account's whole pool
   * (1,000 by default) from every other function in it.
   * @default 50
   */
  readonly reservedConcurrency?: number;
  /** @default 25 seconds, under API Gateway's 29 s so the API never answers 504 first */
  readonly timeout?: Duration;
  /** Model alias served (`MODEL_ALIAS`). @default `live` */
  readonly modelAlias?: string;
  /** Model alias also scored, for comparison only (`SHADOW_ALIAS`). @default none */
  readonly shadowAlias?: string;
  /** How often a warm container checks for a new model (`MODEL_REFRESH_SECONDS`). @default 60 */
  readonly modelRefreshSeconds?: number;
  /** TF.js backends to try, in order (`TFJS_BACKEND`). @default `wasm,cpu`, what the layer ships, fastest first */
  readonly tfjsBackend?: string;
  /** Largest request body in bytes (`MAX_BODY_BYTES`). @default 6291456, Lambda's payload limit */
  readonly maxBodyBytes?: number;
  /** Most reply entries per request (`MAX_PAIRS`). @default the handler's own, 50000 */
  readonly maxPairs?: number;
  /** @default one month */
  readonly logRetention?: RetentionDays;
}

/**
 * The predict function, published as a version behind the `live` alias that the API calls, so
 * a deploy switches traffic atomically and can roll back to the previous version.
 */
export class PredictFunction extends Construct {
  readonly function: MatcherFunction;
  readonly alias: Alias;

  constructor(scope: Construct, id: string, props: PredictFunctionProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.seconds(25);
    if (timeout.toSeconds() >= API_INTEGRATION_TIMEOUT.toSeconds()) {
      throw new Error(
        `PredictFunction: timeout ${timeout.toSeconds()} s must be under API Gateway's ${API_INTEGRATION_TIMEOUT.toSeconds()} s`,
      );
    }
    this.function = new MatcherFunction(this, 'Function', {
      code: props.code,
      description: 'Scores which expense line items pay for which travel budgets',
      layer: props.layer,
      memorySize: props.memorySize ?? 1024,
      timeout,
      reservedConcurrency: props.reservedConcurrency ?? 50,
      logRetention: props.logRetention,
      environment: {
        MODEL_STORE: props.models.url,
        MODEL_ALIAS: props.modelAlias ?? 'live',
        ...(props.shadowAlias ? { SHADOW_ALIAS: props.shadowAlias } : {}),
        MODEL_REFRESH_SECONDS: String(props.modelRefreshSeconds ?? 60),
        RESULTS_QUEUE_URL: props.resultsQueue.queueUrl,
        TFJS_BACKEND: props.tfjsBackend ?? 'wasm,cpu',
        MAX_BODY_BYTES: String(props.maxBodyBytes ?? DEFAULT_LIMITS.maxBodyBytes),
        MAX_PAIRS: String(props.maxPairs ?? DEFAULT_LIMITS.maxPairs),
      },
    });
    props.models.grantReadModels(this.function);
    props.resultsQueue.grantSendMessages(this.function);
    this.alias = new Alias(this, 'Live', { aliasName: 'live', version: this.function.currentVersion });
  }

  /**
   * Shifts traffic to a new version gradually (CodeDeploy), rolling back by itself when any of
   * `alarms` fires during the shift.
   */
  enableGradualRollout(config: ILambdaDeploymentConfig, alarms: readonly IAlarm[]): LambdaDeploymentGroup {
    return new LambdaDeploymentGroup(this, 'Rollout', {
      alias: this.alias,
      deploymentConfig: config,
      alarms: [...alarms],
    });
  }
}
