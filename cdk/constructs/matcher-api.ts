import {
  AccessLogFormat,
  ApiKeySourceType,
  AuthorizationType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  Model,
  Period,
  RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { matcherRequestJsonSchema, toCdkJsonSchema } from '../request-schema';

/** How callers prove who they are. */
export const API_AUTH = {
  /** SigV4-signed requests from IAM principals allowed `execute-api:Invoke`. */
  iam: 'iam',
  /** An `x-api-key` header with a key in the usage plan (throttled and given a quota). */
  apiKey: 'apiKey',
} as const;
export type ApiAuth = (typeof API_AUTH)[keyof typeof API_AUTH];

export interface MatcherApiProps {
  /** Answers `POST /budget_expense_matcher` and `GET /health` (the predict function's alias). */
  readonly predict: IFunction;
  /**
   * Answers `POST /feedback` (the labels function's alias): a function of its own, so that being
   * allowed to invoke the scoring function is not being allowed to write labels.
   * @default none: the API has no `/feedback` route
   */
  readonly labels?: IFunction;
  /** @default `iam` */
  readonly auth?: ApiAuth;
  /** Steady-state requests per second for the stage (and the usage plan). @default 100 */
  readonly rateLimit?: number;
  /** Burst above the rate. @default 200 */
  readonly burstLimit?: number;
  /** With `apiKey` auth: requests a key may make per day. @default 100000 */
  readonly dailyQuota?: number;
  /** @default one month */
  readonly logRetention?: RetentionDays;
  /**
   * Create the account-wide role that lets API Gateway write logs. Leave it `false` in an account
   * where another stack already set it. @default true
   */
  readonly cloudWatchRole?: boolean;
}

/**
 * The REST API: `POST /budget_expense_matcher` (body validated against the contract's envelope
 * before the function runs), `POST /feedback`, `GET /health`; IAM-authorised by default, API
 * keys and a usage plan as the option; throttled; JSON access logs.
 */
export class MatcherApi extends Construct {
  readonly api: RestApi;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: MatcherApiProps) {
    super(scope, id);
    const apiKey = props.auth === API_AUTH.apiKey;
    const rateLimit = props.rateLimit ?? 100;
    const burstLimit = props.burstLimit ?? 200;
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
    this.api = new RestApi(this, 'Api', {
      restApiName: 'budget-expense-matcher',
      description: 'Scores which expense line items pay for which travel budgets',
      cloudWatchRole: props.cloudWatchRole ?? true,
      apiKeySourceType: apiKey ? ApiKeySourceType.HEADER : undefined,
      deployOptions: {
        stageName: 'prod',
        throttlingRateLimit: rateLimit,
        throttlingBurstLimit: burstLimit,
        loggingLevel: MethodLoggingLevel.ERROR,
        metricsEnabled: true,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
      },
      defaultMethodOptions: apiKey
        ? { authorizationType: AuthorizationType.NONE, apiKeyRequired: true }
        : { authorizationType: AuthorizationType.IAM },
    });
    // A body the validator rejects gets the contract's error shape, naming what was wrong.
    this.api.addGatewayResponse('BadRequestBody', {
      type: ResponseType.BAD_REQUEST_BODY,
      statusCode: '400',
      templates: {
        'application/json':
          '{"error":{"code":"invalid_request","message":"$context.error.validationErrorString","field":"body"}}',
      },
    });
    // Errors API Gateway answers itself (auth, throttling, a body over Lambda's 6 MB that the
    // integration cannot deliver) get the same shape, labelled with the gateway's own type,
    // instead of a bare {"message": ...}. `messageString` is the message already JSON-quoted.
    for (const [id, type] of [
      ['Default4xx', ResponseType.DEFAULT_4XX],
      ['Default5xx', ResponseType.DEFAULT_5XX],
    ] as const) {
      this.api.addGatewayResponse(id, {
        type,
        templates: {
          'application/json':
            '{"error":{"code":"$context.error.responseType","message":$context.error.messageString}}',
        },
      });
    }

    const predict = new LambdaIntegration(props.predict);
    this.api.root.addResource('budget_expense_matcher').addMethod('POST', predict, {
      requestValidator: new RequestValidator(this, 'BodyValidator', {
        restApi: this.api,
        validateRequestBody: true,
        validateRequestParameters: false,
      }),
      requestModels: {
        'application/json': new Model(this, 'MatcherRequest', {
          restApi: this.api,
          contentType: 'application/json',
          modelName: 'MatcherRequest',
          description: 'The matcher request envelope, generated from lambda/contract/request.ts',
          schema: toCdkJsonSchema(matcherRequestJsonSchema()),
        }),
      },
    });
    this.api.root.addResource('health').addMethod('GET', predict);
    if (props.labels)
      this.api.root.addResource('feedback').addMethod('POST', new LambdaIntegration(props.labels));

    if (apiKey) {
      const plan = this.api.addUsagePlan('UsagePlan', {
        throttle: { rateLimit, burstLimit },
        quota: { limit: props.dailyQuota ?? 100_000, period: Period.DAY },
        apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
      });
      plan.addApiKey(this.api.addApiKey('ClientKey', { description: 'budget-expense-matcher client' }));
    }
  }
}
