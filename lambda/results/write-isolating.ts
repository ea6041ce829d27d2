import { isDataError, type Queryable } from '../db';
import type { LabelRow } from './label-row';
import { columnRows, type ResultColumns, rowAt, sliceColumns } from './result-columns';
import { messageItems, type ResultsMessage } from './results-message';
import { writeLabels } from './write-labels';
import { writeResultColumns, writeResults } from './write-results';

/** Rows that can be written in one statement, and cut in two. */
export interface SplittableBatch {
  readonly size: number;
  write(db: Queryable): Promise<number>;
  /** The first half and the rest. */
  halves(): [SplittableBatch, SplittableBatch];
  /** The one row of a batch of size 1, for the log. */
  only(): unknown;
}

/** What {@link writeIsolating} did. */
export interface IsolatedWrite {
  /** Rows inserted or replaced. */
  readonly written: number;
  /** The rows the database refused for their data, alone, with its error. */
  readonly refused: readonly { readonly row: unknown; readonly error: string }[];
}

/**
 * Writes a batch; when the database refuses it for its data (SQLSTATE class 22 or 23: a row it
 * can never store), writes the halves apart, recursively, until each refused row is alone, so one
 * bad row costs about 2·log2(n) statements and never holds back the rest. Writes are idempotent,
 * so a half written before a later failure is harmless to write again.
 * @throws what any other failure threw (the database is down, or timed out): retry the batch later
 */
export async function writeIsolating(db: Queryable, batch: SplittableBatch): Promise<IsolatedWrite> {
  try {
    return { written: await batch.write(db), refused: [] };
  } catch (error) {
    if (!isDataError(error)) throw error;
    if (batch.size <= 1) {
      return { written: 0, refused: [{ row: batch.only(), error: errorText(error) }] };
    }
    const [first, rest] = batch.halves();
    const a = await writeIsolating(db, first);
    const b = await writeIsolating(db, rest);
    return { written: a.written + b.written, refused: [...a.refused, ...b.refused] };
  }
}

/** Result rows in columns as a {@link SplittableBatch}. */
export function columnsBatch(columns: ResultColumns): SplittableBatch {
  const size = columnRows(columns);
  return {
    size,
    write: (db) => writeResultColumns(db, columns),
    halves: () => {
      const half = Math.ceil(size / 2);
      return [columnsBatch(sliceColumns(columns, 0, half)), columnsBatch(sliceColumns(columns, half, size))];
    },
    only: () => rowAt(columns, 0),
  };
}

/** Labels as a {@link SplittableBatch}. */
export function labelsBatch(labels: readonly LabelRow[]): SplittableBatch {
  return {
    size: labels.length,
    write: (db) => writeLabels(db, labels),
    halves: () => {
      const half = Math.ceil(labels.length / 2);
      return [labelsBatch(labels.slice(0, half)), labelsBatch(labels.slice(half))];
    },
    only: () => labels[0],
  };
}

/** A queue message's rows or labels as a {@link SplittableBatch}. */
export function messageBatch(message: ResultsMessage): SplittableBatch {
  if (message.kind === 'labels') return labelsBatch(message.labels);
  const rows = message.rows;
  return {
    size: rows.length,
    write: (db) => writeResults(db, rows),
    halves: () => {
      const half = Math.ceil(rows.length / 2);
      return [
        messageBatch({ kind: 'results', rows: rows.slice(0, half) }),
        messageBatch({ kind: 'results', rows: rows.slice(half) }),
      ];
    },
    only: () => messageItems(message)[0],
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
