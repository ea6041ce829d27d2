import { type FileHandle, mkdir, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type JournalEntry, listSegments, segmentName } from './journal-files';

/** How the journal is written. */
export interface JournalWriterOptions {
  readonly dir: string;
  /** Most bytes the journal folder may hold (`RESULTS_JOURNAL_MB`); beyond it entries are refused. */
  readonly maxBytes: number;
  /** A segment is closed and a new one begun past this size. @default 64 MiB */
  readonly segmentBytes?: number;
}

/** What happened to an append. */
export type AppendOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Appends entries to the journal, one JSON line each, and makes them durable in batches: the
 * entries handed over while a write + fsync is under way go out together in the next one (one
 * `writev` of their bytes, one fsync), so a burst costs one fsync, not one an entry. Each run of the server starts a new segment; a failed
 * write (the disk is full) starts another, so a torn line never joins a later one.
 *
 * Bounded: past `maxBytes` (counted over the whole folder, the segments the loader has not
 * finished included) an append is refused, never blocked; the caller counts those rows as lost.
 */
export class JournalWriter {
  private handle: FileHandle | undefined;
  private segment = 0;
  private segmentSize = 0;
  private otherBytes = 0;
  private queue: { parts: readonly Buffer[]; bytes: number; resolve: (outcome: AppendOutcome) => void }[] =
    [];
  private pumping: Promise<void> | undefined;
  private readonly segmentBytes: number;

  private constructor(private readonly options: JournalWriterOptions) {
    this.segmentBytes = options.segmentBytes ?? 64 * 1024 * 1024;
  }

  /** Opens the folder (made if missing) and begins a new segment after the existing ones. */
  static async open(options: JournalWriterOptions): Promise<JournalWriter> {
    await mkdir(options.dir, { recursive: true });
    const writer = new JournalWriter(options);
    await writer.refreshSize();
    await writer.startSegment();
    return writer;
  }

  /** The segment now written: the ones before it are complete. */
  get currentSegment(): number {
    return this.segment;
  }

  /** Bytes in the folder's segments, as last counted (see {@link refreshSize}). */
  get bytes(): number {
    return this.otherBytes + this.segmentSize;
  }

  /** Appends one entry; resolves once it is on disk (fsynced), or refused. */
  append(entry: JournalEntry): Promise<AppendOutcome> {
    return this.appendParts([Buffer.from(`${JSON.stringify(entry)}\n`)]);
  }

  /**
   * Appends one entry whose `data` is already JSON text (`dataJson`, one line): the caller made
   * it cheaply.
   */
  appendJson(head: Omit<JournalEntry, 'data'>, dataJson: string): Promise<AppendOutcome> {
    return this.appendParts([Buffer.from(`${entryHead(head)}${dataJson}}\n`)]);
  }

  /**
   * Appends one entry whose `data` is JSON text in pieces of bytes (`dataParts`, no raw line
   * break in any): written as they are, one after another with the other lines of the batch
   * (one `writev`), never joined or encoded again. Captured requests come this way: a received
   * body goes from the socket's bytes to the file (`captureParts`). Counted by their lengths.
   */
  appendBytes(head: Omit<JournalEntry, 'data'>, dataParts: readonly Buffer[]): Promise<AppendOutcome> {
    return this.appendParts([Buffer.from(entryHead(head)), ...dataParts, LINE_END]);
  }

  private appendParts(parts: readonly Buffer[]): Promise<AppendOutcome> {
    let bytes = 0;
    for (const part of parts) bytes += part.length;
    return new Promise((resolve) => {
      this.queue.push({ parts, bytes, resolve });
      this.pumping ??= this.pump().finally(() => {
        this.pumping = undefined;
      });
    });
  }

  /** Waits until every entry handed over so far is written or refused. */
  async drain(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  /** Recounts the bytes of the segments before the current one (the loader deletes them). */
  async refreshSize(): Promise<void> {
    let bytes = 0;
    for (const n of await listSegments(this.options.dir)) {
      if (n === this.segment && this.handle) continue;
      bytes += await stat(join(this.options.dir, segmentName(n))).then(
        (s) => s.size,
        () => 0,
      );
    }
    this.otherBytes = bytes;
  }

  async close(): Promise<void> {
    await this.drain();
    await this.handle?.close();
    this.handle = undefined;
  }

  private async pump(): Promise<void> {
    // After the current synchronous work: lines appended together (a window's captures and its
    // rows) share one write and one fsync.
    await Promise.resolve();
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const accepted: typeof batch = [];
      let bytes = 0;
      for (const item of batch) {
        if (this.bytes + bytes + item.bytes > this.options.maxBytes) {
          item.resolve({ ok: false, reason: `the journal is full (${this.options.maxBytes} bytes)` });
        } else {
          accepted.push(item);
          bytes += item.bytes;
        }
      }
      if (accepted.length === 0) continue;
      try {
        if (!this.handle) await this.startSegment();
        const handle = this.handle as FileHandle;
        // One writev for the batch (libuv writes past IOV_MAX pieces and short writes in a loop).
        const { bytesWritten } = await handle.writev(accepted.flatMap((a) => a.parts));
        if (bytesWritten !== bytes) throw new Error(`wrote ${bytesWritten} of ${bytes} bytes`);
        await handle.datasync();
        this.segmentSize += bytes;
        for (const a of accepted) a.resolve({ ok: true });
        if (this.segmentSize >= this.segmentBytes) await this.startSegment();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        for (const a of accepted) a.resolve({ ok: false, reason });
        // What reached the file may end in a torn line: never append after it.
        await this.startSegment().catch(() => {
          this.handle = undefined;
        });
      }
    }
  }

  private async startSegment(): Promise<void> {
    const previous = this.handle;
    this.handle = undefined;
    if (previous) {
      this.otherBytes += this.segmentSize;
      await previous.close().catch(() => {});
    }
    const existing = await listSegments(this.options.dir);
    this.segment = Math.max(this.segment, existing.at(-1) ?? 0) + 1;
    this.handle = await open(join(this.options.dir, segmentName(this.segment)), 'a');
    this.segmentSize = 0;
  }
}

function entryHead(head: Omit<JournalEntry, 'data'>): string {
  return `{"kind":${JSON.stringify(head.kind)},"n":${head.n},"at":${head.at},"data":`;
}

const LINE_END = Buffer.from('}\n');
