import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type CaptureRecord, captureKey, toCaptureDocument } from './capture-record';
import { type CaptureSink, sampled } from './capture-sink';

export interface DirectoryCaptureSinkOptions {
  /** The folder captures go under, one sub-folder per UTC day. */
  readonly dir: string;
  /** Share of requests kept (0 … 1). @default 1 */
  readonly sampleRate?: number;
  /** Most captures held in memory waiting to be written; more are dropped and counted. @default 1000 */
  readonly maxPending?: number;
  /** Told about a capture that could not be written. */
  readonly onError?: (error: unknown, record: CaptureRecord) => void;
  /** Told about a capture dropped because too many were waiting. */
  readonly onDrop?: (record: CaptureRecord) => void;
}

/**
 * Captures for the local server: one JSON file per request in `<dir>/<UTC day>/<request id>.json`,
 * written after the reply by a background loop (the reply never waits for the disk), each file
 * written to a temporary name and renamed, so a crash never leaves half a capture.
 */
export class DirectoryCaptureSink implements CaptureSink {
  private readonly pending: CaptureRecord[] = [];
  private writing: Promise<void> | undefined;
  dropped = 0;
  written = 0;

  constructor(private readonly options: DirectoryCaptureSinkOptions) {}

  capture(record: CaptureRecord): boolean {
    if (!sampled(record.requestId, this.options.sampleRate ?? 1)) return false;
    if (this.pending.length >= (this.options.maxPending ?? 1000)) {
      this.dropped++;
      this.options.onDrop?.(record);
      return false;
    }
    this.pending.push(record);
    this.writing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
    return true;
  }

  async settle(): Promise<void> {}

  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      for (let record = this.pending.shift(); record; record = this.pending.shift()) {
        const file = join(this.options.dir, captureKey(record));
        try {
          await mkdir(dirname(file), { recursive: true });
          const temporary = `${file}.${process.pid}.tmp`;
          await writeFile(temporary, JSON.stringify(toCaptureDocument(record)));
          await rename(temporary, file);
          this.written++;
        } catch (error) {
          this.options.onError?.(error, record);
        }
      }
    } finally {
      this.writing = undefined;
    }
  }
}
