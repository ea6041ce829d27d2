import { Duration } from 'aws-cdk-lib';
import { type ISecurityGroup, type IVpc, SecurityGroup, type SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import {
  Architecture,
  type Code,
  type ILayerVersion,
  Function as LambdaFunction,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** Service name every function logs and publishes metrics under. */
export const SERVICE_NAME = 'budget-expense-matcher';
/** CloudWatch namespace of the service's own metrics (pairs scored, precision, ...). */
export const METRICS_NAMESPACE = 'BudgetExpenseMatcher';

export interface MatcherFunctionProps {
  /** The built code (`dist/<name>/function.zip`). */
  readonly code: Code;
  /** What the function is, for the console. */
  readonly description: string;
  /**
   * The runtime layer. Every function gets it, the writer and monitor too: every handler reads
   * `lambda/config.ts`, which names the TF.js backends through tfjs-core, and the bundles leave
   * TF.js external (`npm run check:lambda` fails a function that cannot load without it).
   */
  readonly layer: ILayerVersion;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 30 seconds */
  readonly timeout?: Duration;
  /** Settings beyond the house ones (service name, metrics namespace). @default none */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Concurrency cap, required for every function: a function without one can take the account's
   * whole pool (1,000 by default) from every other function in it, and a fan-out (a queue backlog,
   * a batch run) has no bound on what it opens downstream.
   */
  readonly reservedConcurrency: number;
  /** The VPC to run in, for functions that reach the database. @default none */
  readonly vpc?: IVpc;
  /** @default the VPC's private subnets */
  readonly vpcSubnets?: SubnetSelection;
  /** @default one month */
  readonly logRetention?: RetentionDays;
}

/**
 * A Lambda function with the house defaults, in one place: a current Node.js runtime, x86_64
 * (the TF.js wasm and native binaries are built and measured for it), the runtime layer,
 * structured logs kept for a set time, and the Powertools service and namespace.
 */
export class MatcherFunction extends LambdaFunction {
  /**
   * In a VPC, the function's own security group. It allows no egress until a grant adds it
   * (`ResultsDatabase.allowFrom`): the rules say exactly what the function reaches.
   */
  readonly securityGroup?: ISecurityGroup;

  constructor(scope: Construct, id: string, props: MatcherFunctionProps) {
    if (!Number.isInteger(props.reservedConcurrency) || props.reservedConcurrency < 1) {
      throw new Error(
        `MatcherFunction ${id}: reservedConcurrency must be a whole number of at least 1 (got ${props.reservedConcurrency})`,
      );
    }
    const securityGroup = props.vpc
      ? new SecurityGroup(scope, `${id}SecurityGroup`, {
          vpc: props.vpc,
          description: `${id}: egress only where granted`,
          allowAllOutbound: false,
        })
      : undefined;
    super(scope, id, {
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.X86_64,
      handler: 'index.handler',
      code: props.code,
      description: props.description,
      layers: [props.layer],
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      reservedConcurrentExecutions: props.reservedConcurrency,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: securityGroup ? [securityGroup] : undefined,
      logGroup: new LogGroup(scope, `${id}Logs`, {
        retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      }),
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.environment,
      },
    });
    this.securityGroup = securityGroup;
  }
}
