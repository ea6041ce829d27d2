import type { WriteStream } from 'node:tty';

/** Where a scoring run is. */
export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly pairs: number;
  /** Lines answered with an error object, and error entries inside replies. */
  readonly failedLines: number;
  readonly entryErrors: number;
  readonly seconds: number;
}

/**
 * One line on a terminal, rewritten in place at most ten times a second:
 * `[########----------]  412/1000 requests  81,233 pairs/s  errors 0+3  ETA 7s`.
 * Hand-written: a bar is one `\r`-rewritten line, smaller than any library's set-up for it.
 */
export class ProgressBar {
  private shownAt = 0;

  constructor(private readonly tty: WriteStream) {}

  update(p: Progress, force = false): void {
    const now = Date.now();
    if (!force && now - this.shownAt < 100) return;
    this.shownAt = now;
    const width = 24;
    const share = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    const filled = Math.round(share * width);
    const rate = p.seconds > 0 ? p.pairs / p.seconds : 0;
    const perLine = p.done > 0 ? p.seconds / p.done : 0;
    const eta = p.total > p.done && perLine > 0 ? `ETA ${formatSeconds((p.total - p.done) * perLine)}` : '';
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.done}/${p.total} requests  ${Math.round(rate).toLocaleString('en-US')} pairs/s  errors ${p.failedLines}+${p.entryErrors}  ${eta}`;
    this.tty.write(
      `\r${line.slice(0, Math.max(20, (this.tty.columns ?? 100) - 1)).padEnd(Math.min(100, (this.tty.columns ?? 100) - 1))}`,
    );
  }

  done(): void {
    this.tty.write('\n');
  }
}

function formatSeconds(s: number): string {
  if (s < 90) return `${Math.ceil(s)}s`;
  if (s < 5400) return `${Math.round(s / 60)}m`;
  return `${(s / 3600).toFixed(1)}h`;
}
