import { isDataError, type Queryable } from '../db';
import { InvalidResultsMessageError } from '../errors';
import type { LabelRow } from './label-row';
import type { ResultRow } from './result-row';
import {
  pairsAsRows,
  pairsMessageSchema,
  type ResultsMessage,
  resultsMessageSchema,
} from './results-message';
import type { ScoredPairs } from './scored-pairs';
import { messageBatch, writeIsolating } from './write-isolating';
import { writeMessage } from './write-message';

/** One message taken from the results queue: its id (SQS `messageId`) and body. */
export interface QueuedMessage {
  readonly id: string;
  readonly body: string;
}

/** What writing a batch of queued messages did. */
export interface QueuedWriteOutcome {
  /** Messages that were not written, by id, and why; the others are in the database. */
  readonly failures: ReadonlyMap<string, Error>;
  /** Result rows inserted (rows already stored, from a redelivery, are not counted). */
  readonly rowsInserted: number;
  /** Labels inserted or replaced. */
  readonly labelsWritten: number;
  /**
   * Rows (or labels) the database refused for their data, each isolated from its batch-mates by
   * split and retry, with the error: they can never be stored, so their messages still succeed
   * (a retry would fail the same way, and the DLQ would take the message's good rows with them).
   */
  readonly refused: readonly { readonly row: unknown; readonly error: string }[];
}

/**
 * Writes a batch of queued messages the way the writer Lambda needs: all result rows of the
 * batch in one INSERT and all labels in one upsert, while each message still succeeds or fails
 * on its own (the SQS partial batch response).
 *
 * - A body that is not a results message fails alone (poison: it ends in the dead-letter queue).
 * - When the database refuses a combined statement for its data, each message is written apart,
 *   split in halves until the refused row is alone ({@link writeIsolating}): every other row is
 *   written and the refused one is reported in `refused`, so no message fails for a bad row.
 * - When the database is unreachable, every message of that kind fails and SQS redelivers them;
 *   writes are idempotent, so a redelivery never duplicates a row.
 */
export async function writeQueuedMessages(
  db: Queryable,
  messages: readonly QueuedMessage[],
): Promise<QueuedWriteOutcome> {
  const failures = new Map<string, Error>();
  const parsed: { id: string; message: ResultsMessage }[] = [];
  for (const { id, body } of messages) {
    const message = parseMessage(body);
    if (message instanceof Error) failures.set(id, message);
    else parsed.push({ id, message });
  }
  const results = parsed.filter((p) => p.message.kind === 'results');
  const labels = parsed.filter((p) => p.message.kind === 'labels');
  const refused: { row: unknown; error: string }[] = [];
  const rowsInserted = await writeTogether(db, results, 'results', failures, refused);
  const labelsWritten = await writeTogether(db, labels, 'labels', failures, refused);
  return { failures, rowsInserted, labelsWritten, refused };
}

async function writeTogether(
  db: Queryable,
  group: readonly { id: string; message: ResultsMessage }[],
  kind: ResultsMessage['kind'],
  failures: Map<string, Error>,
  refused: { row: unknown; error: string }[],
): Promise<number> {
  if (group.length === 0) return 0;
  const combined: ResultsMessage =
    kind === 'results'
      ? {
          kind,
          rows: group.flatMap((g) => (g.message.kind === 'results' ? g.message.rows : [])) as ResultRow[],
        }
      : {
          kind,
          labels: group.flatMap((g) => (g.message.kind === 'labels' ? g.message.labels : [])) as LabelRow[],
        };
  try {
    return await writeMessage(db, combined);
  } catch (error) {
    if (!isDataError(error)) {
      for (const { id } of group) failures.set(id, asError(error));
      return 0;
    }
  }
  let written = 0;
  for (const { id, message } of group) {
    try {
      const outcome = await writeIsolating(db, messageBatch(message));
      written += outcome.written;
      refused.push(...outcome.refused);
    } catch (error) {
      failures.set(id, asError(error));
    }
  }
  return written;
}

function parseMessage(body: string): ResultsMessage | Error {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return new InvalidResultsMessageError('invalid_message', 'the message body is not JSON', 'body');
  }
  // Pairs (what the predict function sends) become rows, checked as rows.
  const pairs = pairsMessageSchema.safeParse(json);
  // (A score JSON could not carry, null, is the reply's `score_not_finite` row.)
  if (pairs.success)
    json = { kind: 'results', rows: pairsAsRows(pairs.data.pairs as readonly ScoredPairs[]) };
  const result = resultsMessageSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  return new InvalidResultsMessageError(
    'invalid_message',
    `not a results message: ${issue?.path.join('.') || 'body'} ${issue?.message ?? 'is invalid'}`,
    issue?.path.join('.') || 'body',
  );
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
