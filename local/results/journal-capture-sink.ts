import { type CaptureRecord, type CaptureSink, sampled } from '../../lambda/captures';
import type { JournalSink } from './journal-sink';

/**
 * The local server's capture sink: a sampled request goes into the results journal with the rows
 * of its window ({@link JournalSink.capture}), and the results loader writes it to the capture
 * folder (`CAPTURE_DIR`, `<UTC day>/<request id>.json`). So a capture is as durable as its rows:
 * kept through bursts (the journal absorbs them), SIGTERM (written before exit) and restarts
 * (replayed), and lost only when the journal's disk is full, counted then.
 */
export class JournalCaptureSink implements CaptureSink {
  constructor(
    private readonly journal: JournalSink,
    private readonly sampleRate: number,
  ) {}

  capture(record: CaptureRecord): boolean {
    if (!sampled(record.requestId, this.sampleRate)) return false;
    this.journal.capture(record);
    return true;
  }

  /** Nothing to wait for: the journal writes the capture with its rows. */
  async settle(): Promise<void> {}

  /** Waits until every capture handed over is on disk in the journal. */
  async flush(): Promise<void> {
    await this.journal.flush();
  }
}
