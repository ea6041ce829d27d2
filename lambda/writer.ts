import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { readServiceConfig } from './config';
import { type Database, deployedDatabase } from './db';
// The file, not the folder's index: the writer needs no SQS client or sinks in its bundle.
import { writeQueuedBatch } from './results/write-queued-batch';

/** What the writer is built from; module scope builds the real ones, tests their own. */
export interface WriterDeps {
  /** Opens the results database (and applies its migrations); called until it succeeds once. */
  readonly openDatabase: () => Promise<Database>;
  readonly logger: Logger;
}

/**
 * The results writer: writes each batch from the results queue (SQS) in one go, and reports
 * failures per message (`batchItemFailures`), so SQS retries only those and moves one that keeps
 * failing to the dead-letter queue. When every message fails (the database is down) Powertools
 * throws, the invocation fails and the whole batch comes back later.
 */
export function createWriterHandler({ openDatabase, logger }: WriterDeps) {
  const processor = new BatchProcessor(EventType.SQS);
  let database: Promise<Database> | undefined;
  return async function handler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
    database ??= openDatabase().catch((error: unknown) => {
      database = undefined;
      throw error;
    });
    const messages = event.Records.map((r) => ({ id: r.messageId, body: r.body }));
    const { failures } = await writeQueuedBatch(await database, messages, logger);
    const fail = (record: SQSRecord) => {
      const failure = failures.get(record.messageId);
      if (failure) throw failure;
    };
    return processPartialResponse(event, fail, processor, context ? { context } : undefined);
  };
}

const openDatabase = deployedDatabase({ functionName: 'writer', pgliteOutsideLambda: false });
const logger = new Logger({ serviceName: readServiceConfig().name });

/** The Lambda entry point (`writer.handler`). */
export const handler = createWriterHandler({ openDatabase, logger });
