import type { ClientContext, Context } from 'aws-lambda';

/** What a context is made of: the invocation's identity and its deadline. */
export interface LambdaContextInit {
  readonly awsRequestId: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memorySizeMb: number;
  /** When the invocation times out, in `Date.now()` milliseconds. */
  readonly deadlineMs: number;
  readonly clientContext?: ClientContext;
  /** Called by the deprecated `done`/`succeed`/`fail` methods, which end an invocation early. */
  readonly settle?: (error: unknown, result?: unknown) => void;
}

/**
 * The `context` a handler receives, with every field Lambda's Node.js runtime fills in.
 * `getRemainingTimeInMillis` counts down to the configured timeout, as in Lambda.
 */
export function createLambdaContext(init: LambdaContextInit): Context {
  const settle = init.settle ?? (() => {});
  const date = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    awsRequestId: init.awsRequestId,
    functionName: init.functionName,
    functionVersion: init.functionVersion,
    invokedFunctionArn: init.invokedFunctionArn,
    memoryLimitInMB: String(init.memorySizeMb),
    logGroupName: `/aws/lambda/${init.functionName}`,
    logStreamName: `${date}/[${init.functionVersion}]local`,
    ...(init.clientContext === undefined ? {} : { clientContext: init.clientContext }),
    getRemainingTimeInMillis: () => Math.max(0, init.deadlineMs - Date.now()),
    done: (error?: Error, result?: unknown) => settle(error ?? undefined, result),
    fail: (error: Error | string) => settle(error),
    succeed: (result: unknown) => settle(undefined, result),
  };
}
