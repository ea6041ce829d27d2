import type { Queryable } from '../db';
import { type QueuedMessage, type QueuedWriteOutcome, writeQueuedMessages } from './write-queued-messages';

/** The logging {@link writeQueuedBatch} needs (Powertools' `Logger` has it). */
export interface BatchLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

/**
 * The writer's step: writes a batch of queued messages with {@link writeQueuedMessages} and logs
 * what it did, each failed message by id and the batch's counts.
 */
export async function writeQueuedBatch(
  db: Queryable,
  messages: readonly QueuedMessage[],
  logger: BatchLogger,
): Promise<QueuedWriteOutcome> {
  const outcome = await writeQueuedMessages(db, messages);
  for (const [id, error] of outcome.failures)
    logger.warn('results message not written', { message_id: id, error: error.message });
  logger.info('results batch written', {
    messages: messages.length,
    failed: outcome.failures.size,
    rows_inserted: outcome.rowsInserted,
    labels_written: outcome.labelsWritten,
  });
  return outcome;
}
