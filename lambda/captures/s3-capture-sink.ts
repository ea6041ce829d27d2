import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type CaptureRecord, captureKey, toCaptureDocument } from './capture-record';
import { type CaptureSink, sampled } from './capture-sink';

export interface S3CaptureSinkOptions {
  readonly client: Pick<S3Client, 'send'>;
  readonly bucket: string;
  /** Key prefix, before the day. @default `captures/` */
  readonly prefix?: string;
  /** Share of requests kept (0 … 1). @default 1 */
  readonly sampleRate?: number;
  /** Most uploads in flight; more captures are dropped and counted. @default 64 */
  readonly maxInFlight?: number;
  readonly onError?: (error: unknown, record: CaptureRecord) => void;
  readonly onDrop?: (record: CaptureRecord) => void;
}

/**
 * Captures in AWS: one object per request at `captures/<UTC day>/<request id>.json` in the
 * captures bucket (encrypted, expired by its lifecycle rule). The upload starts when the request
 * is captured and runs beside the results hand-off; the handler's bounded wait (`settle`) lets it
 * finish before Lambda freezes the process, and never fails the reply.
 */
export class S3CaptureSink implements CaptureSink {
  private readonly inFlight = new Set<Promise<void>>();
  dropped = 0;

  constructor(private readonly options: S3CaptureSinkOptions) {}

  capture(record: CaptureRecord): boolean {
    if (!sampled(record.requestId, this.options.sampleRate ?? 1)) return false;
    if (this.inFlight.size >= (this.options.maxInFlight ?? 64)) {
      this.dropped++;
      this.options.onDrop?.(record);
      return false;
    }
    const upload = this.options.client
      .send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: `${this.options.prefix ?? 'captures/'}${captureKey(record)}`,
          Body: JSON.stringify(toCaptureDocument(record)),
          ContentType: 'application/json',
        }),
      )
      .then(
        () => {},
        (error: unknown) => this.options.onError?.(error, record),
      )
      .finally(() => this.inFlight.delete(upload));
    this.inFlight.add(upload);
    return true;
  }

  async settle(maxMs: number): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.inFlight),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, maxMs);
      }),
    ]);
    clearTimeout(timer);
  }

  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }
}
