/** One captured request: what the service received, kept so its results rows can be explained. */
export interface CaptureRecord {
  /** The request id its results rows carry (`results.request_id`). */
  readonly requestId: string;
  readonly capturedAt: Date;
  /**
   * The request as received: the HTTP body text, or the direct-invoke payload (serialised by the
   * writer, off the reply path).
   */
  readonly request: unknown;
}

/** What a capture file or object holds: one JSON document. */
export interface CaptureDocument {
  readonly request_id: string;
  readonly captured_at: string;
  readonly request: unknown;
}

/** The capture as stored: the body parsed back to JSON when it is JSON text, else kept as text. */
export function toCaptureDocument(record: CaptureRecord): CaptureDocument {
  let request = record.request;
  if (typeof request === 'string') {
    try {
      request = JSON.parse(request);
    } catch {
      // Not JSON (the reply was an error then, and no results row points here): kept as text.
    }
  }
  return { request_id: record.requestId, captured_at: record.capturedAt.toISOString(), request };
}

/**
 * Where a capture goes: `<prefix>/<UTC day>/<request id>.json`. The request id is made safe for
 * a path (Lambda's ids and the local UUIDs already are).
 */
export function captureKey(record: Pick<CaptureRecord, 'requestId' | 'capturedAt'>): string {
  const day = record.capturedAt.toISOString().slice(0, 10);
  return `${day}/${record.requestId.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
}
