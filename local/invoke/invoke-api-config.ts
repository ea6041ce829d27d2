/** The function the local Invoke API stands in for, as its callers name and see it. */
export interface InvokeApiConfig {
  /** `FUNCTION_NAME`: the deployed function's name, which callers pass as `FunctionName`. @default 'budget-expense-matcher' */
  readonly functionName: string;
  /** `FUNCTION_ALIASES`: aliases accepted as qualifiers besides `$LATEST`, comma-separated. @default ['live'] */
  readonly aliases: readonly string[];
  /** `FUNCTION_TIMEOUT_SECONDS`: how long an invocation may run. @default 25, the deployed function's timeout */
  readonly timeoutSeconds: number;
  /** `FUNCTION_MEMORY_MB`: the memory size the context and REPORT line state. @default 1024, as deployed */
  readonly memorySizeMb: number;
  /** `AWS_REGION`: the region in ARNs when the request does not say (an unsigned request). @default 'us-east-1' */
  readonly region: string;
  /**
   * `FUNCTION_MAX_PAYLOAD_BYTES`: the largest `RequestResponse` payload taken. Raise it (with the
   * function's `MAX_BODY_BYTES` and `MAX_PAIRS`) to answer in one call what Lambda would refuse,
   * e.g. as the reference a splitting client is compared with. @default 6,291,456, Lambda's 6 MB
   */
  readonly maxPayloadBytes: number;
  /** Whether the function's log lines also go to the server's own stdout/stderr. @default true */
  readonly echoLogs: boolean;
  /**
   * `FUNCTION_CONCURRENCY`: most invocations running at once; one more is answered 429
   * `TooManyRequestsException`, as Lambda answers past a function's reserved concurrency.
   * @default 50, the deployed function's reserved concurrency
   */
  readonly concurrencyLimit: number;
  /**
   * `INVOKE_THROTTLE_SHARE`: share of Invoke calls answered 429 `TooManyRequestsException` on
   * purpose, 0 to 1, spread evenly (0.5: every other call), for testing clients' retries.
   * @default 0
   */
  readonly throttleShare: number;
  /**
   * The version number the aliases point to, reported as `X-Amz-Executed-Version` for an alias or
   * that number (`npm run start:lambda` runs the built zip as version 1). @default unset: every
   * qualifier runs `$LATEST`, the working tree's code (`npm start`)
   */
  readonly aliasVersion?: string;
}

/** The settings of the deployed function (cdk/constructs/predict-api.ts), so local runs behave alike. */
export const DEFAULT_INVOKE_API_CONFIG: InvokeApiConfig = {
  functionName: 'budget-expense-matcher',
  aliases: ['live'],
  timeoutSeconds: 25,
  memorySizeMb: 1024,
  region: 'us-east-1',
  maxPayloadBytes: 6_291_456,
  echoLogs: true,
  concurrencyLimit: 50,
  throttleShare: 0,
};

// Lambda's own bounds: names of 1-64 characters, timeouts of 1-900 s, memory of 128-10,240 MB.
const NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const ALIAS = /^(?!^[0-9]+$)[a-zA-Z0-9_-]{1,128}$/;

/**
 * Reads the local Invoke API's settings from `env`; throws naming the setting when a value is
 * unusable, so `npm start` fails at start-up rather than on the first invocation.
 */
export function readInvokeApiConfig(env: NodeJS.ProcessEnv = process.env): InvokeApiConfig {
  const d = DEFAULT_INVOKE_API_CONFIG;
  return {
    functionName: setting(env, 'FUNCTION_NAME', d.functionName, (v) => {
      if (!NAME.test(v)) throw new Error(`"${v}" is not a function name (1-64 letters, digits, - or _)`);
      return v;
    }),
    aliases: setting(env, 'FUNCTION_ALIASES', d.aliases, (v) =>
      v
        .split(',')
        .map((a) => a.trim())
        .filter((a) => a !== '')
        .map((a) => {
          if (!ALIAS.test(a)) throw new Error(`"${a}" is not an alias name (letters, digits, - or _)`);
          return a;
        }),
    ),
    timeoutSeconds: setting(env, 'FUNCTION_TIMEOUT_SECONDS', d.timeoutSeconds, (v) => {
      const n = Number(v);
      if (!(n > 0 && n <= 900)) throw new Error(`"${v}" is not a number of seconds between 0 and 900`);
      return n;
    }),
    memorySizeMb: setting(env, 'FUNCTION_MEMORY_MB', d.memorySizeMb, (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 128 || n > 10_240)
        throw new Error(`"${v}" is not a whole number of MB between 128 and 10240`);
      return n;
    }),
    region: setting(env, 'AWS_REGION', d.region, (v) => v),
    maxPayloadBytes: setting(env, 'FUNCTION_MAX_PAYLOAD_BYTES', d.maxPayloadBytes, (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`"${v}" is not a whole number of bytes`);
      return n;
    }),
    echoLogs: d.echoLogs,
    concurrencyLimit: setting(env, 'FUNCTION_CONCURRENCY', d.concurrencyLimit, (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 1000)
        throw new Error(`"${v}" is not a whole number of invocations between 1 and 1000`);
      return n;
    }),
    throttleShare: setting(env, 'INVOKE_THROTTLE_SHARE', d.throttleShare, (v) => {
      const n = Number(v);
      if (!(n >= 0 && n <= 1)) throw new Error(`"${v}" is not a share between 0 and 1`);
      return n;
    }),
  };
}

function setting<T>(env: NodeJS.ProcessEnv, name: string, fallback: T, parse: (v: string) => T): T {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  try {
    return parse(raw.trim());
  } catch (error) {
    throw new Error(`configuration ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
