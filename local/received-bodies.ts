/**
 * The request bodies the local server has read, as bytes, by request id, while their requests
 * run: the server lends a body before calling the handler and takes it back once the handler has
 * answered. The handler sees the body only as text (an API Gateway event); the capture sink
 * (`JournalCaptureSink`) asks here for the bytes that text was decoded from and keeps those, so a
 * captured body goes to the journal as it came, never encoded to UTF-8 again (for a 10 × 200 body
 * with non-ASCII text that encoding was most of what capture cost, `npm run bench:capture`).
 *
 * @example
 * const bodies = new ReceivedBodies();
 * bodies.lend(requestId, bytes);
 * try { await handler(event, { awsRequestId: requestId }); } finally { bodies.takeBack(requestId); }
 */
export class ReceivedBodies {
  private readonly bodies = new Map<string, Buffer>();

  /** Lends `body` (the bytes read, decompressed, valid UTF-8) under the request's id. */
  lend(requestId: string, body: Buffer): void {
    this.bodies.set(requestId, body);
  }

  /** Ends the loan: the request has been answered. */
  takeBack(requestId: string): void {
    this.bodies.delete(requestId);
  }

  /**
   * The bytes of request `requestId`, if they are lent and `text` can be their UTF-8 decoding
   * (a UTF-8 character is 1–3 bytes a UTF-16 unit): else undefined, and the text is used.
   */
  bytesOf(requestId: string, text: string): Buffer | undefined {
    const body = this.bodies.get(requestId);
    if (!body || body.length < text.length || body.length > text.length * 3) return undefined;
    return body;
  }

  /** Bodies lent now (tests: none is kept once its request is answered). */
  get size(): number {
    return this.bodies.size;
  }
}
