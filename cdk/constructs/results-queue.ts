import { Duration } from 'aws-cdk-lib';
import type { Code, ILayerVersion } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MatcherFunction } from './matcher-function';
import type { ResultsDatabase } from './results-database';

/** The writer's timeout; the queue's visibility timeout is derived from it. */
const WRITER_TIMEOUT = Duration.seconds(60);
/**
 * Writers at once, and the event source's maximum concurrency (2 is SQS's smallest): each holds a
 * pool of up to 4 connections, so 2 × 4 of Aurora Serverless v2's 189 at 0.5 ACU.
 */
const WRITER_CONCURRENCY = 2;

export interface ResultsQueueProps {
  /** The runtime layer. */
  readonly layer: ILayerVersion;
  /**
   * The results writer's code (`dist/writer/function.zip`). @default none: the queue and its
   * dead-letter queue are made, and nothing reads them until a writer is built
   */
  readonly writerCode?: Code;
  /** Where the writer writes; required with `writerCode`. */
  readonly database?: ResultsDatabase;
  /**
   * Deliveries before a batch is set aside in the dead-letter queue: enough to ride out a
   * database restart, few enough that a poison message does not cycle for long.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /** Rows per writer invocation. @default 100 */
  readonly batchSize?: number;
  /** @default one month */
  readonly logRetention?: RetentionDays;
}

/**
 * Scored results on their way to the database (DESIGN.md #6): the predict function sends, the
 * writer (in the database's VPC) inserts in batches, and what keeps failing waits in a
 * dead-letter queue for 14 days to be replayed.
 */
export class ResultsQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly writer?: MatcherFunction;

  constructor(scope: Construct, id: string, props: ResultsQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new Queue(this, 'Queue', {
      // AWS's rule for Lambda consumers: at least six times the function timeout, so a message
      // is not redelivered while a slow batch still holds it.
      visibilityTimeout: Duration.seconds(WRITER_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
    if (!props.writerCode) return;
    if (!props.database) throw new Error('ResultsQueue: writerCode needs a database');
    const writer = new MatcherFunction(this, 'Writer', {
      code: props.writerCode,
      description: 'Writes scored results from the results queue into PostgreSQL, in batches',
      layer: props.layer,
      timeout: WRITER_TIMEOUT,
      reservedConcurrency: WRITER_CONCURRENCY,
      logRetention: props.logRetention,
      vpc: props.database.vpc,
      vpcSubnets: props.database.subnets,
      environment: { DATABASE_SECRET_ARN: props.database.secret.secretArn },
    });
    props.database.allowFrom(writer);
    writer.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.batchSize ?? 100,
        maxBatchingWindow: Duration.seconds(5),
        // A failed row is retried alone; its batch-mates are not inserted twice.
        reportBatchItemFailures: true,
        // No more pollers than the writer may run: more would be throttled and burn receives.
        maxConcurrency: WRITER_CONCURRENCY,
      }),
    );
    this.writer = writer;
  }
}
