/** Where an invocation's log lines go besides its own buffer. */
export type LogEcho = (chunk: Buffer, stream: 'stdout' | 'stderr') => void;

/**
 * The log of one invocation: what the handler wrote to stdout/stderr while it ran, framed by the
 * START/END/REPORT lines Lambda writes. Bounded, so a chatty handler cannot exhaust memory: the
 * oldest output is dropped first, and `Tail` only ever needs the end.
 */
export class InvocationLog {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private closed = false;

  /** The invocation's request id, which Lambda puts on every `console` line. */
  readonly requestId: string;
  private readonly echo: LogEcho | undefined;
  private readonly maxBytes: number;

  constructor(
    options: {
      readonly requestId?: string;
      readonly echo?: LogEcho;
      /** Most bytes kept. @default 1 MiB */
      readonly maxBytes?: number;
    } = {},
  ) {
    this.requestId = options.requestId ?? '';
    this.echo = options.echo;
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
  }

  /** Adds output the handler wrote; ignored once the invocation is over (a timed-out handler). */
  write(chunk: Buffer, stream: 'stdout' | 'stderr' = 'stdout'): void {
    if (this.closed) return;
    this.echo?.(chunk, stream);
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.maxBytes && this.chunks.length > 1) {
      this.size -= this.chunks.shift()?.length ?? 0;
    }
  }

  /** Adds one line written by the runtime itself (START, END, REPORT, timeout and error lines). */
  line(text: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    this.write(Buffer.from(`${text}\n`, 'utf8'), stream);
  }

  /** Ends the log: what the handler writes later belongs to no invocation. */
  close(): void {
    this.closed = true;
  }

  /** The whole log kept. */
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  /**
   * The last `bytes` bytes of the log, base64-encoded, as `X-Amz-Log-Result` carries them. The cut
   * moves forward to a character boundary, so the text always decodes as UTF-8.
   */
  tailBase64(bytes = 4096): string {
    const all = Buffer.concat(this.chunks);
    let start = Math.max(0, all.length - bytes);
    // UTF-8 continuation bytes are 10xxxxxx; a cut inside a character starts at one of them.
    while (start < all.length && ((all[start] ?? 0) & 0xc0) === 0x80) start++;
    return all.subarray(start).toString('base64');
  }
}
