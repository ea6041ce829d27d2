import { join, resolve } from 'node:path';
import type { StackFunction } from './stack-functions';
import type { FunctionLayout } from './unpack-function';

/** The service's own settings a local run may set in its environment, over the stack's values. */
export const LOCAL_OVERRIDES = [
  'MODEL_DIR',
  'MODEL_STORE',
  'MODEL_ALIAS',
  'SHADOW_ALIAS',
  'MODEL_REFRESH_SECONDS',
  'TFJS_BACKEND',
  'MAX_BODY_BYTES',
  'MAX_PAIRS',
  'RESULTS_HANDOFF_MS',
  'RESULTS_SEND',
  'RESULTS_BUFFER_ROWS',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_S3',
  'POWERTOOLS_LOG_LEVEL',
  'POWERTOOLS_DEV',
] as const;

/** What a function instance's environment is made from. */
export interface LambdaEnvironmentInput {
  readonly functionName: string;
  readonly fn: StackFunction;
  readonly layout: FunctionLayout;
  readonly region: string;
  /** The parent's environment: credentials and {@link LOCAL_OVERRIDES} are taken from it. */
  readonly env: NodeJS.ProcessEnv;
  /** Values for the stack's deploy-time variables (a queue URL); one left out is not set. */
  readonly deployTime: Readonly<Record<string, string>>;
  /** Variables that point the function at local stand-ins for AWS services (an endpoint, a database URL). @default none */
  readonly local?: Readonly<Record<string, string>>;
}

/**
 * The environment Lambda gives a function's process: its reserved variables (`_HANDLER`,
 * `LAMBDA_TASK_ROOT`, `AWS_LAMBDA_FUNCTION_*`, `NODE_PATH` with the layer's folders, `TZ`, the
 * role's credentials, ...) with this machine's paths for `/var/task`, `/opt` and `/var/runtime`,
 * then the stack's variables for the function, with local values for those only known once
 * deployed and for the service settings the local environment sets, and `local`'s stand-ins for
 * AWS services. Nothing else of the parent's
 * environment passes, as nothing of a developer's shell reaches a Lambda function.
 */
export function lambdaEnvironment(input: LambdaEnvironmentInput): Record<string, string> {
  const { fn, layout, env, region, functionName } = input;
  const runtimeDir = join(layout.root, 'runtime');
  const major = /^nodejs(\d+)/.exec(fn.runtime)?.[1] ?? '24';
  const reserved: Record<string, string> = {
    _HANDLER: fn.handler,
    LAMBDA_TASK_ROOT: layout.taskRoot,
    LAMBDA_RUNTIME_DIR: runtimeDir,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySizeMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]local`,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    // The role's credentials in AWS; here whatever the shell has, or placeholders the loopback services accept.
    AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID || 'local',
    AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY || 'local',
    ...(env.AWS_SESSION_TOKEN ? { AWS_SESSION_TOKEN: env.AWS_SESSION_TOKEN } : {}),
    NODE_PATH: [
      join(layout.opt, 'nodejs', `node${major}`, 'node_modules'),
      join(layout.opt, 'nodejs', 'node_modules'),
      join(runtimeDir, 'node_modules'),
      runtimeDir,
      layout.taskRoot,
    ].join(':'),
    PATH: `/usr/local/bin:/usr/bin:/bin:${join(layout.opt, 'bin')}`,
    LD_LIBRARY_PATH: [join(layout.taskRoot, 'lib'), join(layout.opt, 'lib')].join(':'),
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
  };
  const fromStack: Record<string, string> = { ...fn.environment };
  for (const name of fn.deployTimeVariables) {
    const value = input.deployTime[name];
    if (value !== undefined) fromStack[name] = value;
  }
  for (const name of LOCAL_OVERRIDES) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    // A relative model directory or store is relative to where the developer ran the command.
    const isPath = name === 'MODEL_DIR' || (name === 'MODEL_STORE' && !value.startsWith('s3://'));
    fromStack[name] = isPath ? resolve(value) : value;
  }
  return { ...fromStack, ...input.local, ...reserved };
}
