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
 * JSON string; an invoke payload is serialised here.
 */
export function captureJson(record: CaptureRecord): string {
  const head = `{"request_id":${JSON.stringify(record.requestId)},"captured_at":"${record.capturedAt.toISOString()}","request":`;
  const { request } = record;
  if (typeof request === 'string') {
    if (looksLikeJsonContainer(request)) return `${head}${oneLine(request)}}`;
    return `${head}${JSON.stringify(request)}}`;
  }
  return `${head}${JSON.stringify(request) ?? 'null'}}`;
}

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

// A scored request's body is a JSON object (the contract): it starts with `{` after whitespace and
// ends with `}`. Anything else is kept as a string rather than trusted as JSON text.
function looksLikeJsonContainer(text: string): boolean {
  const start = text.search(/\S/);
  if (start < 0 || text.charCodeAt(start) !== 123) return false;
  let end = text.length - 1;
  while (end > start && /\s/.test(text[end] as string)) end--;
  return text.charCodeAt(end) === 125;
}

function oneLine(text: string): string {
  return text.includes('\n') || text.includes('\r') ? text.replace(/[\r\n]/g, ' ') : text;
}
