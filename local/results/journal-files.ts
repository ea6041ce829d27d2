import { readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The local results journal on disk: a folder of append-only segment files, `NNNNNNNNNNNN.jsonl`
 * (numbered in the order they were written), one JSON entry a line, and `checkpoint.json`, how
 * far the loader has written them into the database. A segment the loader has passed is deleted.
 */
export const SEGMENT_PATTERN = /^(\d{12})\.jsonl$/;

/** One line of the journal: a batch of one kind of record. */
export interface JournalEntry<D = unknown> {
  /** What the entry holds, and so which writer loads it: `results`, `labels` (others may be added). */
  readonly kind: string;
  /** Rows (or labels) in it. */
  readonly n: number;
  /** When the oldest of them was recorded, epoch ms: how old the backlog is. */
  readonly at: number;
  readonly data: D;
}

/** Where the loader has got to: the segment it reads and the byte offset after the last line written. */
export interface Checkpoint {
  readonly segment: number;
  readonly offset: number;
}

/** The segment file name of number `n`. */
export function segmentName(n: number): string {
  return `${String(n).padStart(12, '0')}.jsonl`;
}

/** The segments in the folder, oldest first, by number. */
export async function listSegments(dir: string): Promise<number[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  return names
    .map((name) => SEGMENT_PATTERN.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** The checkpoint, or the start of everything when there is none. */
export async function readCheckpoint(dir: string): Promise<Checkpoint> {
  try {
    const json = JSON.parse(await readFile(join(dir, CHECKPOINT), 'utf8')) as Partial<Checkpoint>;
    if (Number.isInteger(json.segment) && Number.isInteger(json.offset))
      return { segment: json.segment as number, offset: json.offset as number };
  } catch {
    // Missing or torn (a crash mid-write): start from the oldest segment; writes are idempotent.
  }
  return { segment: 0, offset: 0 };
}

/** Writes the checkpoint atomically (a temporary file renamed over it). */
export async function writeCheckpoint(dir: string, checkpoint: Checkpoint): Promise<void> {
  const temporary = join(dir, `${CHECKPOINT}.tmp`);
  await writeFile(temporary, JSON.stringify(checkpoint));
  await rename(temporary, join(dir, CHECKPOINT));
}

/** Whether segments numbered below `before` (earlier runs') hold lines past the checkpoint. */
export async function hasUnloaded(dir: string, before: number): Promise<boolean> {
  const checkpoint = await readCheckpoint(dir);
  for (const n of await listSegments(dir)) {
    if (n >= before || n < checkpoint.segment) continue;
    if (n > checkpoint.segment) return true;
    const size = await stat(join(dir, segmentName(n))).then(
      (s) => s.size,
      () => 0,
    );
    if (size > checkpoint.offset) return true;
  }
  return false;
}

const CHECKPOINT = 'checkpoint.json';
