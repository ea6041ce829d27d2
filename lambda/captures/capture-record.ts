/** One captured request: what the service received, kept so its results rows can be explained. */
export interface CaptureRecord {
  /** The request id its results rows carry (`results.request_id`). */
  readonly requestId: string;
  readonly capturedAt: Date;
  /**
   * The request as received: the HTTP body text (JSON that parsed: only scored requests are
   * captured), or the direct-invoke payload (serialised when the capture is written, off the
   * reply path).
   */
  readonly request: unknown;
  /**
   * The request's bytes as received (an HTTP body), when the receiver still has them (the local
   * server keeps the body it read: `local/received-bodies.ts`): {@link captureParts} writes them
   * as they came instead of encoding the text again, and reads `request` no more, so a holder can
   * let go of the decoded text (for a 10 × 200 body with non-ASCII text a two-byte string twice
   * the bytes' size, in the V8 heap). Never set for an invoke payload.
   */
  readonly body?: Uint8Array;
}

/** What a capture file or object holds: one JSON document. */
export interface CaptureDocument {
  readonly request_id: string;
  readonly captured_at: string;
  readonly request: unknown;
}

/**
 * The capture as one line of JSON text (`CaptureDocument`), made cheaply: a body that is JSON
 * text goes in as it came, never parsed again (it parsed when it was scored; re-parsing and
 * re-serialising a 10 × 200 request cost 1.36 ms a reply), with its raw line breaks (JSON
 * whitespace: a string cannot hold one unescaped) turned into spaces, so the document stays on one
 * line of the journal. A body that is not JSON (never the case for a scored request) is kept as a
 * JSON string; an invoke payload is serialised here. A record holding the body's bytes (`body`)
 * gives the same document from them.
 */
export function captureJson(record: CaptureRecord): string {
  const { request, body } = record;
  const text = body === undefined ? request : Buffer.from(body).toString('utf8');
  return `${captureHead(record)}${requestJson(text)}}`;
}

// The document's opening, up to the request: a few dozen bytes.
function captureHead(record: { readonly requestId: string; readonly capturedAt: Date }): string {
  return `{"request_id":${JSON.stringify(record.requestId)},"captured_at":"${record.capturedAt.toISOString()}","request":`;
}

function requestJson(request: unknown): string {
  if (typeof request === 'string') {
    return looksLikeJsonContainer(request) ? oneLine(request) : JSON.stringify(request);
  }
  return JSON.stringify(request) ?? 'null';
}

/**
 * The capture as bytes, the same document as {@link captureJson} (byte for byte when `body` is
 * the UTF-8 of the text `request` was), in pieces to write one after another (`writev`): the head, then the
 * request. A received body that is a JSON object is the piece as it came, never decoded or
 * encoded again (encoding a 67 KB 10 × 200 body with non-ASCII text to UTF-8 cost 70–330 µs a
 * request, `npm run bench:capture`), copied only when it holds raw CR or LF, which become spaces:
 * in UTF-8 JSON text those bytes are whitespace (inside a string they must be escaped, and no
 * multi-byte character contains them), so the document stays on one line.
 */
export function captureParts(record: CaptureRecord): Buffer[] {
  const { request, body } = record;
  const head = Buffer.from(captureHead(record));
  if (body === undefined) return [head, Buffer.from(requestJson(request)), CLOSE];
  if (isJsonObjectBytes(body)) return [head, oneLineBytes(body), CLOSE];
  // Not a JSON object (never a scored request): kept as a JSON string, decoded from the bytes.
  return [head, Buffer.from(JSON.stringify(Buffer.from(body).toString('utf8'))), CLOSE];
}

const CLOSE = Buffer.from('}');

/** The document a capture's JSON text holds, as `JSON.parse(captureJson(record))` gives it. */
export function toCaptureDocument(record: CaptureRecord): CaptureDocument {
  return JSON.parse(captureJson(record)) as CaptureDocument;
}

/**
 * Where a capture goes: `<prefix>/<UTC day>/<request id>.json`. The request id is made safe for
 * a path (Lambda's ids and the local UUIDs already are).
 */
export function captureKey(record: { readonly requestId: string; readonly capturedAt: Date }): string {
  const day = record.capturedAt.toISOString().slice(0, 10);
  return `${day}/${record.requestId.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
}

// A scored request's body is a JSON object (the contract): it starts with `{` after JSON's own
// whitespace (space, tab, LF, CR) and ends with `}`. Anything else (a byte order mark before it,
// which JSON does not allow) is kept as a string rather than trusted as JSON text.
function looksLikeJsonContainer(text: string): boolean {
  const start = text.search(/[^ \t\r\n]/);
  if (start < 0 || text.charCodeAt(start) !== 123) return false;
  let end = text.length - 1;
  while (end > start && isJsonSpace(text.charCodeAt(end))) end--;
  return text.charCodeAt(end) === 125;
}

function oneLine(text: string): string {
  return text.includes('\n') || text.includes('\r') ? text.replace(/[\r\n]/g, ' ') : text;
}

// The same test on bytes.
function isJsonObjectBytes(body: Uint8Array): boolean {
  let start = 0;
  let end = body.length - 1;
  while (start <= end && isJsonSpace(body[start] as number)) start++;
  while (end > start && isJsonSpace(body[end] as number)) end--;
  return start < end && body[start] === 123 && body[end] === 125;
}

function isJsonSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function oneLineBytes(body: Uint8Array): Buffer {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.length);
  if (bytes.indexOf(0x0a) < 0 && bytes.indexOf(0x0d) < 0) return bytes;
  const copy = Buffer.from(bytes);
  for (let i = 0; i < copy.length; i++) if (copy[i] === 0x0a || copy[i] === 0x0d) copy[i] = 0x20;
  return copy;
}
