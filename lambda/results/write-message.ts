import type { Queryable } from '../db';
import type { ResultsMessage } from './results-message';
import { writeLabels } from './write-labels';
import { writeResults } from './write-results';

/** Writes one message's rows or labels in one statement; returns how many were new or replaced. */
export function writeMessage(db: Queryable, message: ResultsMessage): Promise<number> {
  return message.kind === 'results' ? writeResults(db, message.rows) : writeLabels(db, message.labels);
}
