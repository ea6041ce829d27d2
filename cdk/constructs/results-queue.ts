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
  /**
   * Writers running at once: the writer's reserved concurrency AND the event source's maximum
   * concurrency (equal, so SQS never hands a batch to a writer Lambda would throttle: a throttled
   * batch burns one of its `maxReceiveCount` receives and can land in the dead-letter queue
   * without ever being tried). A backlog then drains at this many batches at a time instead of
   * fanning out into hundreds of writers each opening connections to the database.
   * At least 2 (the event source's minimum). @default 2
   */
  readonly writerConcurrency?: number;
  /** Connections each writer's pool opens at most (`DATABASE_POOL_MAX`). @default 2 */
  readonly writerPoolSize?: number;
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
    const concurrency = props.writerConcurrency ?? 2;
    const poolSize = props.writerPoolSize ?? 2;
    if (!Number.isInteger(concurrency) || concurrency < 2 || concurrency > 1000)
      throw new Error(
        `ResultsQueue: writerConcurrency ${concurrency} must be a whole number from 2 (the SQS event source's minimum) to 1000`,
      );
    if (!Number.isInteger(poolSize) || poolSize < 1)
      throw new Error(`ResultsQueue: writerPoolSize ${poolSize} must be a whole number of at least 1`);
    const budget = props.database.writerConnections;
    if (concurrency * poolSize > budget)
      throw new Error(
        `ResultsQueue: ${concurrency} writers × ${poolSize} connections = ${concurrency * poolSize}, more than the ${budget} connections the database leaves for writers; lower writerConcurrency or writerPoolSize, or raise the database's writerConnections`,
      );
    const writer = new MatcherFunction(this, 'Writer', {
      code: props.writerCode,
      description: 'Writes scored results from the results queue into PostgreSQL, in batches',
      layer: props.layer,
      timeout: WRITER_TIMEOUT,
      reservedConcurrency: concurrency,
      logRetention: props.logRetention,
      vpc: props.database.vpc,
      vpcSubnets: props.database.subnets,
      environment: {
        DATABASE_SECRET_ARN: props.database.secret.secretArn,
        DATABASE_POOL_MAX: String(poolSize),
      },
    });
    props.database.allowFrom(writer);
    writer.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.batchSize ?? 100,
        maxBatchingWindow: Duration.seconds(5),
        // A failed row is retried alone; its batch-mates are not inserted twice.
        reportBatchItemFailures: true,
        // No more than the writer's reserved concurrency: see writerConcurrency.
        maxConcurrency: concurrency,
      }),
    );
    this.writer = writer;
  }
}
