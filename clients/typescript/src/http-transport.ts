import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Provider } from '@smithy/types';
import { MatcherTransportError } from './errors';
import { isListText, type Transport, throwReplyError } from './invoke-transport';

/** The matcher's route; `url` may be the API's base URL (with its stage) or the route itself. */
export const MATCHER_ROUTE = '/budget_expense_matcher';

/** How the HTTP variant signs its requests. */
export interface HttpSigning {
  readonly region: string | Provider<string>;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** The full URL of the matcher route under `base` (`http://127.0.0.1:3000` → `.../budget_expense_matcher`). */
export function matcherUrl(base: string): URL {
  const url = new URL(base);
  if (!url.pathname.replace(/\/+$/, '').endsWith(MATCHER_ROUTE)) {
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${MATCHER_ROUTE}`;
  }
  return url;
}

/**
 * `POST` to the API Gateway route (or the local server's), signed with SigV4 for `execute-api`
 * when `signing` is given (the API's `iam` auth). The service's `{ error }` body becomes a
 * `MatcherServiceError` with the HTTP status; anything else not 200 a `MatcherTransportError`
 * `http_<status>`, which the client retries for 429 and 5xx.
 */
export function httpTransport(base: string, signing: HttpSigning | undefined): Transport {
  const url = matcherUrl(base);
  const signer =
    signing &&
    new SignatureV4({
      service: 'execute-api',
      region: signing.region,
      credentials: signing.credentials,
      sha256: Sha256,
    });
  return async (body) => {
    let headers: Record<string, string> = { 'content-type': 'application/json', host: url.host };
    if (signer) {
      const signed = await signer.sign({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port === '' ? {} : { port: Number(url.port) }),
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body,
      });
      headers = signed.headers;
    }
    // fetch sets Host itself, to the same value that was signed.
    const { host: _host, ...sent } = headers;
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers: sent, body });
    } catch (error) {
      throw new MatcherTransportError(
        'network_error',
        `POST ${url.href} failed: ${String(error)}`,
        undefined,
        {
          cause: error,
        },
      );
    }
    const text = await response.text();
    if (response.status === 200 && isListText(text)) return text;
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      payload = undefined;
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    try {
      return throwReplyError(payload, text, response.status);
    } catch (error) {
      if (error instanceof MatcherTransportError && Number.isFinite(retryAfter) && retryAfter > 0) {
        Object.assign(error, { retryAfterMs: retryAfter * 1000 });
      }
      throw error;
    }
  };
}
