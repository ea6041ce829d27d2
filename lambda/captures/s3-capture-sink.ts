import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Backoff, type BackoffOptions, waitAtMost } from '../retry';
import { type CaptureRecord, captureJson, captureKey } from './capture-record';
import { type CaptureSink, sampled } from './capture-sink';

export interface S3CaptureSinkOptions {
  readonly client: Pick<S3Client, 'send'>;
  readonly bucket: string;
  /** Key prefix, before the day. @default `captures/` */
  readonly prefix?: string;
  /** Share of requests kept (0 … 1). @default 1 */
  readonly sampleRate?: number;
  /** Most uploads in flight at once; the others wait their turn (never dropped for it). @default 16 */
  readonly maxInFlight?: number;
  /**
   * Most bytes of captures held (waiting or uploading) while S3 is slow or failing
   * (`CAPTURE_BUFFER_MB`); past it a capture is dropped and counted, as the results buffer drops
   * rows past its cap. @default 64 MiB
   */
  readonly maxHeldBytes?: number;
  /** Waits between retries of a failed upload. */
  readonly retry?: BackoffOptions;
  /** Told about a failed upload (it is retried). */
  readonly onError?: (error: unknown, requestId: string) => void;
  /** Told about a capture dropped because too many bytes were held. */
  readonly onDrop?: (requestId: string) => void;
}

interface HeldCapture {
  readonly key: string;
  readonly body: string;
  readonly requestId: string;
}

/**
 * Captures in AWS: one object per request at `captures/<UTC day>/<request id>.json` in the
 * captures bucket (encrypted, expired by its lifecycle rule). It rides beside the results
 * hand-off and is held the same way: the handler's bounded wait (`settle`, `RESULTS_HANDOFF_MS`)
 * lets the uploads finish before Lambda freezes the process; what is not uploaded by then (S3
 * slow or failing) stays held and is retried with backoff at the container's next invocations,
 * as the SQS sink holds rows. A burst waits its turn (at most `maxInFlight` uploads at once)
 * instead of being dropped; only past `maxHeldBytes` is a capture dropped, counted and logged.
 * A reply is never failed by it.
 */
export class S3CaptureSink implements CaptureSink {
  private readonly waiting: HeldCapture[] = [];
  private inFlight = 0;
  private heldBytes = 0;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly backoff: Backoff;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Captures dropped because `maxHeldBytes` were held. */
  dropped = 0;
  /** Captures uploaded. */
  uploaded = 0;

  constructor(private readonly options: S3CaptureSinkOptions) {
    this.backoff = new Backoff(options.retry);
  }

  /** Captures held, waiting or uploading. */
  get pending(): number {
    return this.waiting.length + this.inFlight;
  }

  capture(record: CaptureRecord): boolean {
    if (!sampled(record.requestId, this.options.sampleRate ?? 1)) return false;
    const body = captureJson(record);
    if (this.heldBytes + body.length > (this.options.maxHeldBytes ?? 64 * 1024 * 1024)) {
      this.dropped++;
      this.options.onDrop?.(record.requestId);
      return false;
    }
    this.heldBytes += body.length;
    this.waiting.push({
      key: `${this.options.prefix ?? 'captures/'}${captureKey(record)}`,
      body,
      requestId: record.requestId,
    });
    this.pump();
    return true;
  }

  /** Waits, at most `maxMs`, for every held capture to be uploaded; returns at once while S3 is failing. */
  async settle(maxMs: number): Promise<void> {
    if (this.pending === 0 || this.retryTimer) return;
    this.pump();
    await waitAtMost(this.idle(), maxMs);
  }

  async flush(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.pump();
    await this.idle();
  }

  private idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    if (this.retryTimer) return;
    while (this.inFlight < (this.options.maxInFlight ?? 16) && this.waiting.length > 0) {
      const held = this.waiting.shift() as HeldCapture;
      this.inFlight++;
      void this.upload(held);
    }
  }

  private async upload(held: HeldCapture): Promise<void> {
    try {
      await this.options.client.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: held.key,
          Body: held.body,
          ContentType: 'application/json',
        }),
      );
      this.heldBytes -= held.body.length;
      this.uploaded++;
      this.backoff.reset();
    } catch (error) {
      this.options.onError?.(error, held.requestId);
      // Back to the front, retried after a pause (an S3 outage must not spin).
      this.waiting.unshift(held);
      if (!this.retryTimer) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.pump();
        }, this.backoff.next());
        this.retryTimer.unref();
      }
    } finally {
      this.inFlight--;
      this.pump();
      if (this.pending === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }
}
