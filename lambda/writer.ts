import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type Database, openResultsDatabase, resultsDatabaseSource } from './db';
// The file, not the folder's index: the writer needs no SQS client or sinks in its bundle.
import { writeQueuedMessages } from './results/write-queued-messages';

/** What the writer is built from; module scope builds the real ones, tests their own. */
export interface WriterDeps {
  /** Opens the results database (and applies its migrations); called once per container. */
  readonly openDatabase: () => Promise<Database>;
  readonly logger: Logger;
}

/**
 * The results writer: reads batches from the results queue (SQS) and writes them with
 * {@link writeQueuedMessages}: all rows of a batch in one INSERT, failures reported per message
 * (`batchItemFailures`), so SQS retries only the failed messages and moves one that keeps failing
 * to the dead-letter queue. When every message fails (the database is down) Powertools throws,
 * the invocation fails and the whole batch comes back later.
 */
export function createWriterHandler({ openDatabase, logger }: WriterDeps) {
  const processor = new BatchProcessor(EventType.SQS);
  let database: Promise<Database> | undefined;
  return async function handler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
    database ??= openDatabase().catch((error: unknown) => {
      database = undefined;
      throw error;
    });
    const db = await database;
    const outcome = await writeQueuedMessages(
      db,
      event.Records.map((r) => ({ id: r.messageId, body: r.body })),
    );
    for (const { row, error } of outcome.refused)
      logger.error('result row refused by the database, left out of its batch', { row, error });
    for (const [id, error] of outcome.failures)
      logger.warn('results message not written', { message_id: id, error: error.message });
    logger.info('results batch written', {
      messages: event.Records.length,
      failed: outcome.failures.size,
      rows_inserted: outcome.rowsInserted,
      labels_written: outcome.labelsWritten,
      rows_refused: outcome.refused.length,
    });
    return processPartialResponse(
      event,
      (record: SQSRecord) => {
        const failure = outcome.failures.get(record.messageId);
        if (failure) throw failure;
      },
      processor,
      context ? { context } : undefined,
    );
  };
}

const logger = new Logger({ serviceName: 'budget-expense-matcher' });

/** The database named by `DATABASE_SECRET_ARN` (deployed) or `DATABASE_URL`; never PGlite, which Lambda bundles leave out. */
async function openWriterDatabase(): Promise<Database> {
  const source = resultsDatabaseSource();
  if (source.kind === 'pglite')
    throw new Error(
      'configuration DATABASE_SECRET_ARN: the writer needs DATABASE_SECRET_ARN or DATABASE_URL',
    );
  return openResultsDatabase(source);
}

/** The Lambda entry point (`writer.handler`). */
export const handler = createWriterHandler({ openDatabase: openWriterDatabase, logger });
