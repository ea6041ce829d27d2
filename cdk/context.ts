import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { API_AUTH } from './constructs/matcher-api';
import type { ExistingDatabase } from './constructs/results-database';

/** The gradual rollouts `matcher:rollout` may name (CodeDeploy's predefined Lambda configs). */
export const ROLLOUTS = [
  'CANARY_10PERCENT_5MINUTES',
  'CANARY_10PERCENT_10MINUTES',
  'CANARY_10PERCENT_15MINUTES',
  'CANARY_10PERCENT_30MINUTES',
  'LINEAR_10PERCENT_EVERY_1MINUTE',
  'LINEAR_10PERCENT_EVERY_2MINUTES',
  'LINEAR_10PERCENT_EVERY_3MINUTES',
  'LINEAR_10PERCENT_EVERY_10MINUTES',
  'ALL_AT_ONCE',
] as const;

// `cdk -c key=value` gives strings; cdk.json gives JSON values. Both are accepted.
const int = z.coerce.number().int().positive();
const fraction = z.coerce.number().min(0).max(1);
const text = z.string().trim().min(1);
const list = z.union([z.array(text), text.transform((s) => s.split(',').map((x) => x.trim()))]);
const awsId = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}-[0-9a-f]{8,17}$`), `is not a ${prefix}-… id`);
const awsIds = (prefix: string) => list.pipe(z.array(awsId(prefix)).min(1));
const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]);
const retention = z.coerce
  .number()
  .refine(
    (n) => (Object.values(RetentionDays) as number[]).includes(n),
    'is not a CloudWatch retention (1, 3, 5, 7, 14, 30, 60, 90, ... days)',
  )
  .transform((n) => n as RetentionDays);

/** Every context value the app reads, under its key, with what it may hold. */
const CONTEXT = {
  'matcher:stackName': text,
  'matcher:memorySize': int.min(128).max(10240),
  'matcher:reservedConcurrency': int,
  'matcher:modelAlias': text,
  'matcher:shadowAlias': text,
  'matcher:modelRefreshSeconds': int,
  'matcher:tfjsBackend': text,
  'matcher:maxBodyBytes': int,
  'matcher:maxPairs': int,
  'matcher:auth': z.enum([API_AUTH.iam, API_AUTH.apiKey]),
  'matcher:rateLimit': int,
  'matcher:burstLimit': int,
  'matcher:modelBucketName': text,
  'matcher:modelPrefix': text,
  'matcher:databaseSecretArn': text,
  'matcher:databaseVpcId': awsId('vpc'),
  'matcher:databaseSubnetIds': awsIds('subnet'),
  'matcher:databaseAvailabilityZones': list,
  'matcher:databaseSecurityGroupId': awsId('sg'),
  'matcher:databasePort': int,
  'matcher:rollout': z.enum(ROLLOUTS),
  'matcher:maxServerErrorRate': fraction,
  'matcher:maxP99LatencyMs': int,
  'matcher:precisionFloor': fraction,
  'matcher:recallFloor': fraction,
  'matcher:alarmEmail': z.email(),
  'matcher:logRetentionDays': retention,
  'matcher:apiCloudWatchRole': bool,
} as const;

type ContextKey = keyof typeof CONTEXT;
type ContextValue<K extends ContextKey> = z.output<(typeof CONTEXT)[K]>;

/**
 * Reads and checks the app's context values (`cdk.json`'s `context`, or `cdk deploy -c key=value`).
 * Unset values are `undefined` and the constructs' defaults apply. Throws naming the key when a
 * value is unusable, or when an existing database is given only in part.
 *
 * @example
 * const context = readMatcherContext((key) => app.node.tryGetContext(key));
 */
export function readMatcherContext(get: (key: string) => unknown) {
  const read = <K extends ContextKey>(key: K): ContextValue<K> | undefined => {
    const raw = get(key);
    if (raw === undefined || raw === null || raw === '') return undefined;
    const parsed = CONTEXT[key].safeParse(raw);
    if (!parsed.success) {
      throw new Error(
        `context ${key}: ${JSON.stringify(raw)} ${parsed.error.issues[0]?.message ?? 'is invalid'}`,
      );
    }
    return parsed.data as ContextValue<K>;
  };
  const database = {
    secretArn: read('matcher:databaseSecretArn'),
    vpcId: read('matcher:databaseVpcId'),
    subnetIds: read('matcher:databaseSubnetIds'),
    availabilityZones: read('matcher:databaseAvailabilityZones'),
    securityGroupId: read('matcher:databaseSecurityGroupId'),
    port: read('matcher:databasePort'),
  };
  let existingDatabase: ExistingDatabase | undefined;
  if (database.secretArn) {
    const { secretArn, vpcId, subnetIds, availabilityZones, securityGroupId, port } = database;
    const missing = Object.entries({ vpcId, subnetIds, availabilityZones, securityGroupId })
      .filter(([, v]) => v === undefined)
      .map(([k]) => `matcher:database${k[0]?.toUpperCase()}${k.slice(1)}`);
    if (!vpcId || !subnetIds || !availabilityZones || !securityGroupId) {
      throw new Error(`context matcher:databaseSecretArn is set, so ${missing.join(', ')} must be too`);
    }
    existingDatabase = { secretArn, vpcId, subnetIds, availabilityZones, securityGroupId, port };
  }
  const rateLimit = read('matcher:rateLimit');
  const burstLimit = read('matcher:burstLimit');
  return {
    stackName: read('matcher:stackName') ?? 'BudgetExpenseMatcher',
    predict: {
      memorySize: read('matcher:memorySize'),
      reservedConcurrency: read('matcher:reservedConcurrency'),
      modelAlias: read('matcher:modelAlias'),
      shadowAlias: read('matcher:shadowAlias'),
      modelRefreshSeconds: read('matcher:modelRefreshSeconds'),
      tfjsBackend: read('matcher:tfjsBackend'),
      maxBodyBytes: read('matcher:maxBodyBytes'),
      maxPairs: read('matcher:maxPairs'),
    },
    auth: read('matcher:auth'),
    throttle:
      rateLimit || burstLimit ? { rateLimit: rateLimit ?? 100, burstLimit: burstLimit ?? 200 } : undefined,
    modelBucketName: read('matcher:modelBucketName'),
    modelPrefix: read('matcher:modelPrefix'),
    existingDatabase,
    rollout: read('matcher:rollout'),
    alarms: {
      maxServerErrorRate: read('matcher:maxServerErrorRate'),
      maxP99LatencyMs: read('matcher:maxP99LatencyMs'),
      precisionFloor: read('matcher:precisionFloor'),
      recallFloor: read('matcher:recallFloor'),
      email: read('matcher:alarmEmail'),
    },
    logRetentionDays: read('matcher:logRetentionDays'),
    apiCloudWatchRole: read('matcher:apiCloudWatchRole'),
  };
}

/** What {@link readMatcherContext} returns. */
export type MatcherContext = ReturnType<typeof readMatcherContext>;
