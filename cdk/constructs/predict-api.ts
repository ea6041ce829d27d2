import { Duration } from 'aws-cdk-lib';
import {
  AuthorizationType,
  LambdaIntegration,
  MethodLoggingLevel,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import {
  Architecture,
  Code,
  type ILayerVersion,
  Function as LambdaFunction,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface PredictApiProps {
  /** The runtime layer holding TF.js. */
  readonly layer: ILayerVersion;
  /**
   * The handler bundle and model. @default `dist/predict`, written by `npm run build`
   */
  readonly code?: Code;
  /**
   * Memory in MB; Lambda gives CPU in proportion, and scoring a 20,000-pair request is CPU-bound.
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * Cap on concurrent executions, so a flood of requests cannot take the account's whole pool.
   * @default 50
   */
  readonly reservedConcurrency?: number;
}

/**
 * The predict function behind a REST API: `POST /budget_expense_matcher` and `GET /health`,
 * IAM-authorised (callers sign with SigV4), throttled.
 */
export class PredictApi extends Construct {
  readonly function: LambdaFunction;
  readonly api: RestApi;

  constructor(scope: Construct, id: string, props: PredictApiProps) {
    super(scope, id);
    this.function = new LambdaFunction(this, 'Function', {
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.X86_64,
      handler: 'index.handler',
      code: props.code ?? Code.fromAsset('dist/predict'),
      layers: [props.layer],
      memorySize: props.memorySize ?? 1024,
      // Under API Gateway's 29 s integration timeout, so the API never answers 504 first.
      timeout: Duration.seconds(25),
      reservedConcurrentExecutions: props.reservedConcurrency ?? 50,
      logGroup: new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH }),
      environment: {
        POWERTOOLS_SERVICE_NAME: 'budget-expense-matcher',
      },
    });
    this.api = new RestApi(this, 'Api', {
      restApiName: 'budget-expense-matcher',
      deployOptions: {
        stageName: 'prod',
        throttlingRateLimit: 100,
        throttlingBurstLimit: 200,
        loggingLevel: MethodLoggingLevel.ERROR,
      },
      defaultMethodOptions: { authorizationType: AuthorizationType.IAM },
    });
    const integration = new LambdaIntegration(this.function);
    this.api.root.addResource('budget_expense_matcher').addMethod('POST', integration);
    this.api.root.addResource('health').addMethod('GET', integration);
  }
}
