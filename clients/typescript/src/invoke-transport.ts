import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from '@aws-sdk/client-lambda';
import { MatcherFunctionError, MatcherServiceError, MatcherTransportError } from './errors';

/**
 * Sends one request body and returns the text of the service's reply when it is a list of entries
 * (the JSON as received, so a caller that only passes it on never parses it); throws a typed
 * error otherwise.
 */
export type Transport = (body: string) => Promise<string>;

/**
 * Lambda's `Invoke` (`RequestResponse`) through the JS SDK. The SDK client retries throttling
 * (`TooManyRequestsException`) and transient faults itself, with the retry strategy it was
 * configured with; what is left is mapped here: a `FunctionError` to {@link MatcherFunctionError},
 * the service's `{ error }` reply to {@link MatcherServiceError}, an API error to
 * {@link MatcherTransportError}.
 */
export function invokeTransport(
  lambda: LambdaClient,
  target: { readonly functionName: string; readonly qualifier?: string },
): Transport {
  return async (body) => {
    let out: InvokeCommandOutput;
    try {
      out = await lambda.send(
        new InvokeCommand({
          FunctionName: target.functionName,
          ...(target.qualifier === undefined ? {} : { Qualifier: target.qualifier }),
          InvocationType: 'RequestResponse',
          Payload: Buffer.from(body, 'utf8'),
        }),
      );
    } catch (error) {
      const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
      throw new MatcherTransportError(
        e.name ?? 'InvokeError',
        `Invoke ${target.functionName} failed: ${e.message ?? String(error)}`,
        e.$metadata?.httpStatusCode,
        { cause: error },
      );
    }
    const text = Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
    if (!out.FunctionError && isListText(text)) return text;
    const payload = parseJson(text);
    if (out.FunctionError) {
      const failure = (payload ?? {}) as { errorType?: unknown; errorMessage?: unknown };
      throw new MatcherFunctionError(
        typeof failure.errorType === 'string' ? failure.errorType : out.FunctionError,
        typeof failure.errorMessage === 'string' ? failure.errorMessage : text,
        out.FunctionError,
      );
    }
    return throwReplyError(payload, text, undefined);
  };
}

/** Whether a reply's text is a JSON list (the entries), from its first character. */
export function isListText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b) return true; // [
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return false;
}

/**
 * Throws what a reply that is not a list of entries says: the service's whole-request error as
 * {@link MatcherServiceError} (CONTRACT.md: a structured `{ error: { code, message, field } }`
 * object), anything else as {@link MatcherTransportError}.
 */
export function throwReplyError(payload: unknown, text: string, status: number | undefined): never {
  const error = (payload as { error?: { code?: unknown; message?: unknown; field?: unknown } } | undefined)
    ?.error;
  if (error && typeof error.code === 'string') {
    throw new MatcherServiceError(
      error.code,
      typeof error.message === 'string' ? error.message : error.code,
      typeof error.field === 'string' ? error.field : undefined,
      status,
    );
  }
  throw new MatcherTransportError(
    status === undefined ? 'unexpected_reply' : `http_${status}`,
    `the reply is neither a list of entries nor the service's error object: ${text.slice(0, 200)}`,
    status,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
