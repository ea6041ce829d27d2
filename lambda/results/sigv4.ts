import { createHash, createHmac } from 'node:crypto';

/** The credentials a request is signed with. */
export interface SigV4Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** A POST to `/` with no query string, as the SQS client sends it: what {@link signPost} signs. */
export interface SigV4Post {
  /** Lower-case names; values as sent (a value is signed with its whitespace folded, as SigV4 says). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly region: string;
  readonly service: string;
  readonly credentials: SigV4Credentials;
  /** @default now */
  readonly date?: Date;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

/**
 * AWS Signature Version 4 for one request shape: a POST to `/` with no query, its body a string.
 * Returns the request's headers with those SigV4 adds: `x-amz-date`, `x-amz-security-token` (with
 * a session token), `x-amz-content-sha256` and `authorization`, the same headers and signature
 * as the SDK's signer (`@smithy/signature-v4`'s `SignatureV4`, its default `applyChecksum`) gives
 * the same request at the same time (the tests compare them). Why not that signer: it is
 * asynchronous at every step (a promise a hash), copies each hash before its digest, and hashes the
 * credentials at every call to look its signing key up; this is about a fifth of its CPU a call.
 * Synchronous, on Node's crypto; the signing key (four HMACs) is made again only when the
 * secret, the day, the region or the service differs from the previous call's.
 */
export function signPost(request: SigV4Post): Record<string, string> {
  const { credentials, region, service } = request;
  const iso = (request.date ?? new Date()).toISOString();
  const shortDate = iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10);
  const longDate = `${shortDate}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const payloadHash = createHash('sha256').update(request.body, 'utf8').digest('hex');
  const headers: Record<string, string> = { ...request.headers, 'x-amz-date': longDate };
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  headers['x-amz-content-sha256'] = payloadHash;
  const names = Object.keys(headers).sort();
  let canonicalHeaders = '';
  for (const name of names) canonicalHeaders += `${name}:${foldValue(headers[name] as string)}\n`;
  const signedHeaders = names.join(';');
  const canonicalRequest = `POST\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
  const scope = `${shortDate}/${region}/${service}/aws4_request`;
  const stringToSign = `${ALGORITHM}\n${longDate}\n${scope}\n${createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')}`;
  const signature = createHmac('sha256', signingKey(credentials.secretAccessKey, shortDate, region, service))
    .update(stringToSign, 'utf8')
    .digest('hex');
  headers.authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

// The previous call's signing key and what it was made of: a key is a function of these alone.
let lastKey: { secret: string; shortDate: string; region: string; service: string; key: Buffer } | undefined;

/** SigV4's signing key: HMAC-SHA256 of the day, region, service and `aws4_request`, from `AWS4` + the secret. */
function signingKey(secret: string, shortDate: string, region: string, service: string): Buffer {
  const last = lastKey;
  if (
    last &&
    last.secret === secret &&
    last.shortDate === shortDate &&
    last.region === region &&
    last.service === service
  )
    return last.key;
  let key = createHmac('sha256', `AWS4${secret}`).update(shortDate, 'utf8').digest();
  for (const part of [region, service, 'aws4_request'])
    key = createHmac('sha256', key).update(part, 'utf8').digest();
  lastKey = { secret, shortDate, region, service, key };
  return key;
}

const FOLD = /[\r\n\t]| {2}|^ | $/;

/** A header value as SigV4 signs it: line breaks as spaces, runs of spaces and tabs as one, no space at either end. */
function foldValue(value: string): string {
  if (!FOLD.test(value)) return value;
  return value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');
}
