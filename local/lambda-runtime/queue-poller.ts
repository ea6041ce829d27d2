import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { InvocationResult } from '../invoke';
import type { LoopbackSqs, QueuedMessage } from './loopback-sqs';

/** How the queue feeds its consumer (the stack's event source mapping). */
export interface QueuePollerOptions {
  readonly queue: LoopbackSqs;
  /** Invokes the consumer function with one batch. */
  readonly invoke: (event: SQSEvent) => Promise<InvocationResult>;
  /** Records per batch at most (`BatchSize`). */
  readonly batchSize: number;
  /** How long a batch may wait to fill before it is sent anyway (`MaximumBatchingWindowInSeconds`). */
  readonly batchWindowMs: number;
  readonly queueArn: string;
  readonly region: string;
  /** Told when a batch fails whole (the function failed). */
  readonly onError?: (message: string) => void;
  /**
   * Resolves when the consumer's dependencies can take batches (the local database is open);
   * nothing is delivered before, so a slow start sends nothing to the dead letters.
   */
  readonly ready?: Promise<unknown>;
}

/** After a failed batch, the wait before the next (SQS keeps failed messages invisible for a while). */
const RETRY_DELAY_MS = 1000;

/**
 * The writer's SQS event source, as Lambda's event source mapping runs it: batches of up to
 * `batchSize` messages, sent when full or after `batchWindowMs`, one batch at a time; with
 * `ReportBatchItemFailures`, the failed messages go back to the queue and the rest are deleted;
 * a failed invocation returns the whole batch.
 */
export class QueuePoller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: QueuePollerOptions) {}

  /** Tells the poller messages arrived. */
  notify(): void {
    if (this.stopped || this.running || this.timer) return;
    const full = this.options.queue.depth >= this.options.batchSize;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.running = this.pollAll().finally(() => {
          this.running = undefined;
          if (this.options.queue.depth > 0) this.notify();
        });
      },
      full ? 0 : this.options.batchWindowMs,
    );
  }

  /** Sends what is queued now and waits for it, at most `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && (this.options.queue.depth > 0 || this.running)) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
      if (!this.running && this.options.queue.depth > 0)
        this.running = this.pollAll().finally(() => {
          this.running = undefined;
        });
      await Promise.race([this.running, new Promise((resolve) => setTimeout(resolve, 50))]);
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async pollAll(): Promise<void> {
    const { queue, batchSize } = this.options;
    await this.options.ready;
    while (!this.stopped && queue.depth > 0) {
      const batch = queue.receive(batchSize);
      const ok = await this.deliver(batch);
      if (!ok) await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  }

  private async deliver(batch: QueuedMessage[]): Promise<boolean> {
    const { queue } = this.options;
    const ids = batch.map((m) => m.messageId);
    let result: InvocationResult;
    try {
      result = await this.options.invoke({ Records: batch.map((m) => this.record(m)) });
    } catch (error) {
      queue.release(ids);
      this.options.onError?.(
        `results batch not delivered: ${error instanceof Error ? error.message : String(error)}`,
      );
      return false;
    }
    if (result.functionError) {
      queue.release(ids);
      this.options.onError?.(
        `results writer failed; ${ids.length} messages go back to the queue: ${result.payload}`,
      );
      return false;
    }
    const failed = new Set(
      (
        (JSON.parse(result.payload) as { batchItemFailures?: { itemIdentifier: string }[] } | null)
          ?.batchItemFailures ?? []
      ).map((f) => f.itemIdentifier),
    );
    queue.release(ids.filter((id) => failed.has(id)));
    queue.delete(ids.filter((id) => !failed.has(id)));
    return failed.size === 0;
  }

  private record(message: QueuedMessage): SQSRecord {
    const now = String(Date.now());
    return {
      messageId: message.messageId,
      receiptHandle: `local-${message.messageId}-${message.receiveCount}`,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: '000000000000',
        ApproximateFirstReceiveTimestamp: now,
      },
      messageAttributes: {},
      md5OfBody: message.md5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: this.options.queueArn,
      awsRegion: this.options.region,
    };
  }
}
