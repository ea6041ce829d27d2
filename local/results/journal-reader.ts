import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { type JournalEntry, segmentName } from './journal-files';

/** A line read from a segment, with the byte offset just after it. */
export interface ReadLine {
  readonly entry: JournalEntry | undefined;
  /** The offset after the line's newline: where to resume once it is written. */
  readonly end: number;
  /** The raw line, when it is not a journal entry (for the log). */
  readonly bad?: string;
}

/**
 * Reads the complete lines of segment `n` from byte `offset`, at most about `maxBytes` of them
 * (always at least one line, however long). A tail without its newline is not returned: it is
 * being written, or was torn by a crash. `rest` is how many bytes follow the last line returned.
 */
export async function readLines(
  dir: string,
  n: number,
  offset: number,
  maxBytes = 8 * 1024 * 1024,
): Promise<{ lines: ReadLine[]; rest: number }> {
  const handle = await open(join(dir, segmentName(n)), 'r');
  try {
    const size = (await handle.stat()).size;
    let want = Math.min(maxBytes, size - offset);
    for (;;) {
      if (want <= 0) return { lines: [], rest: 0 };
      const buffer = Buffer.allocUnsafe(want);
      const { bytesRead } = await handle.read(buffer, 0, want, offset);
      const last = buffer.lastIndexOf(10, bytesRead - 1);
      if (last < 0) {
        if (offset + bytesRead >= size) return { lines: [], rest: size - offset };
        want *= 2;
        continue;
      }
      const lines: ReadLine[] = [];
      let start = 0;
      while (start <= last) {
        const end = buffer.indexOf(10, start);
        const text = buffer.toString('utf8', start, end);
        lines.push({ ...parse(text), end: offset + end + 1 });
        start = end + 1;
      }
      return { lines, rest: size - (offset + last + 1) };
    }
  } finally {
    await handle.close();
  }
}

function parse(text: string): { entry: JournalEntry | undefined; bad?: string } {
  try {
    const entry = JSON.parse(text) as JournalEntry;
    if (typeof entry.kind === 'string' && Number.isInteger(entry.n) && typeof entry.at === 'number')
      return { entry };
  } catch {
    // reported below
  }
  return { entry: undefined, bad: text.slice(0, 200) };
}
