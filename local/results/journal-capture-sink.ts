import { type CaptureRecord, type CaptureSink, sampled } from '../../lambda/captures';
import type { ReceivedBodies } from '../received-bodies';
import type { JournalSink } from './journal-sink';

/**
 * The local server's capture sink: a sampled request goes into the results journal with the rows
 * of its window ({@link JournalSink.capture}), and the results loader writes it to the capture
 * folder (`CAPTURE_DIR`, `<UTC day>/<request id>.json`). An HTTP body is kept as the bytes the
 * server read (`ReceivedBodies`), written to the journal as they came. So a capture is as durable as its rows:
 * kept through bursts (the journal absorbs them), SIGTERM (written before exit) and restarts
 * (replayed), and lost only when the journal's disk is full, counted then.
 */
export class JournalCaptureSink implements CaptureSink {
  constructor(
    private readonly journal: JournalSink,
    private readonly sampleRate: number,
    /** The bodies the local server read, lent while their requests run. @default none: the text is kept */
    private readonly bodies?: ReceivedBodies,
  ) {}

  capture(record: CaptureRecord): boolean {
    if (!sampled(record.requestId, this.sampleRate)) return false;
    const { request } = record;
    // The bytes the body text was decoded from, when the server lent them: kept instead of the
    // text (never encoded again; memory outside the V8 heap, freed once written), and the text
    // let go (a 10 × 200 body with non-ASCII text decodes to a two-byte string twice its size).
    const body = typeof request === 'string' ? this.bodies?.bytesOf(record.requestId, request) : undefined;
    this.journal.capture(
      body
        ? { requestId: record.requestId, capturedAt: record.capturedAt, request: undefined, body }
        : record,
    );
    return true;
  }

  /** Nothing to wait for: the journal writes the capture with its rows. */
  async settle(): Promise<void> {}

  /** Waits until every capture handed over is on disk in the journal. */
  async flush(): Promise<void> {
    await this.journal.flush();
  }
}
