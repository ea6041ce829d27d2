/**
 * The service's name where the environment gives none: the deployed functions get
 * `POWERTOOLS_SERVICE_NAME` from the stack (`cdk/constructs/matcher-function.ts`, which imports this).
 */
export const SERVICE_NAME = 'budget-expense-matcher';

/** What the functions read about where they run. */
export interface ServiceConfig {
  /** `POWERTOOLS_SERVICE_NAME`: the `service` of every log line and metric. @default {@link SERVICE_NAME} */
  readonly name: string;
  /** `POWERTOOLS_METRICS_NAMESPACE`: the CloudWatch namespace of the service's metrics. @default unset (the metric names' own) */
  readonly metricsNamespace?: string;
  /** Whether `AWS_LAMBDA_FUNCTION_NAME` is set: the code runs in Lambda (not the local server or a test). */
  readonly inLambda: boolean;
}

/** Reads {@link ServiceConfig} from `env`. */
export function readServiceConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  return {
    name: env.POWERTOOLS_SERVICE_NAME || SERVICE_NAME,
    metricsNamespace: env.POWERTOOLS_METRICS_NAMESPACE || undefined,
    inLambda: Boolean(env.AWS_LAMBDA_FUNCTION_NAME),
  };
}
