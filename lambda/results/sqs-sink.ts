import type { Logger } from '@aws-lambda-powertools/logger';
import { ResultsStoreError } from '../errors';
import { Backoff, type BackoffOptions, waitAtMost } from '../retry';
import type { LabelRow } from './label-row';
import type { ResultRow } from './result-row';
import type { ResultSink } from './result-sink';
import { messageRows, pairsAsRows, type SinkItem, type SinkMessage, sinkItems } from './results-message';
import { RowBuffer } from './row-buffer';
import type { ScoredPairs } from './scored-pairs';

/** SQS's limits: 10 entries a SendMessageBatch, 256 KiB a message and a whole batch. */
export const SQS_LIMITS = { entries: 10, messageBytes: 256 * 1024, batchBytes: 256 * 1024 } as const;

/** A `SendMessageBatch` call's input, in SQS's own field names. */
export interface SendBatchInput {
  readonly QueueUrl: string;
  readonly Entries: readonly { readonly Id: string; readonly MessageBody: string }[];
}

/** What SQS answers a `SendMessageBatch` call (the fields the sink reads). */
export interface SendBatchOutput {
  readonly Successful?: readonly { readonly Id?: string }[];
  readonly Failed?: readonly {
    readonly Id?: string;
    readonly SenderFault?: boolean;
    readonly Code?: string;
    readonly Message?: string;
  }[];
}

/** The SQS client, as far as the sink uses it: `SqsClient` (`sqs-client.ts`); tests pass their own. */
export interface SqsSender {
  sendMessageBatch(input: SendBatchInput): Promise<SendBatchOutput>;
}

export interface SqsSinkOptions {
  /** `RESULTS_QUEUE_URL`. */
  readonly queueUrl: string;
  readonly client: SqsSender;
  /** Most rows held while SQS cannot take them (`RESULTS_BUFFER_ROWS`). @default 100000 */
  readonly maxBufferedRows?: number;
  /** Largest message body, in bytes. @default {@link SQS_LIMITS}`.messageBytes` */
  readonly maxMessageBytes?: number;
  /** Largest SendMessageBatch (all bodies together), in bytes. @default {@link SQS_LIMITS}`.batchBytes` */
  readonly maxBatchBytes?: number;
  /** Waits between retries while sends fail. */
  readonly retry?: BackoffOptions;
  /**
   * Rows recorded before the first send wait for {@link SqsSink.settle} or `flush` (later ones
   * leave as they are recorded): with a client made at its first send, its code then loads when
   * the predict function's results extension settles, after the first reply, rather than during
   * the init or before that reply. @default false
   */
  readonly holdFirstSend?: boolean;
  /** Told how many rows were dropped (the cap was hit, or SQS refused an entry as malformed). */
  readonly onDrop?: (rows: number) => void;
  readonly logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

// Rows taken from the buffer per round; a round is as many SendMessageBatch calls as they need.
const ROUND_ROWS = 5000;
// `{"kind":"results","rows":[` ... `]}`: the envelope around the joined rows.
const ENVELOPE_BYTES = 32;

/**
 * The AWS results sink: rows and labels leave the function as SQS messages for the writer
 * (`lambda/writer.ts`). Rows of consecutive requests are packed into messages of up to 256 KiB
 * and sent with SendMessageBatch (at most 10 entries and 256 KiB a call); entries SQS fails are
 * retried with backoff, and rows not yet sent wait in a bounded buffer (the same cap, metric and
 * log line as the local queue).
 *
 * Lambda freezes the process once the handler returns, so the handler awaits {@link settle}
 * with a bound (`RESULTS_HANDOFF_MS`): what is not sent by then stays buffered for the next
 * invocation of this container.
 */
export class SqsSink implements ResultSink {
  private readonly buffer: RowBuffer;
  private readonly backoff: Backoff;
  private readonly maxMessageBytes: number;
  private readonly maxBatchBytes: number;
  private readonly logger: SqsSinkOptions['logger'];
  private draining: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failingSince: Date | undefined;
  private readonly idleWaiters: (() => void)[] = [];
  private sentOnce = false;

  constructor(private readonly options: SqsSinkOptions) {
    this.maxMessageBytes = options.maxMessageBytes ?? SQS_LIMITS.messageBytes;
    this.maxBatchBytes = options.maxBatchBytes ?? SQS_LIMITS.batchBytes;
    this.logger = options.logger;
    this.backoff = new Backoff(options.retry);
    this.buffer = new RowBuffer({
      maxRows: options.maxBufferedRows ?? 100_000,
      onDrop: options.onDrop,
      logger: options.logger,
    });
  }

  /** Rows and labels held, not yet accepted by SQS. */
  get pendingRows(): number {
    return this.buffer.size;
  }

  record(rows: readonly ResultRow[]): void {
    if (this.buffer.push({ kind: 'results', rows })) this.recorded();
  }

  /**
   * Holds a scoring's rows as it was scored, and sends them so (`{"kind":"pairs"}`, decoded into
   * rows by the writer): no object and no JSON text a row in the function, about a twentieth of
   * the bytes (Max Memory Used: `npm run bench:invoke`).
   */
  recordPairs(pairs: ScoredPairs): void {
    if (this.buffer.push({ kind: 'pairs', pairs: [pairs] })) this.recorded();
  }

  recordLabels(labels: readonly LabelRow[]): boolean {
    const taken = this.buffer.push({ kind: 'labels', labels });
    if (taken) this.recorded();
    return taken;
  }

  /**
   * Waits until every row is with SQS, or `maxMs` has passed; never throws; `true` when nothing
   * is held any more. While SQS is failing (a retry is waiting for its time) it returns `false` at
   * once: an outage must not add `maxMs` to every reply, and the rows wait in the buffer either
   * way, to be sent at this container's next invocation.
   */
  async settle(maxMs: number): Promise<boolean> {
    if (this.buffer.size === 0) return true;
    if (this.retryTimer || this.failingSince) return false;
    this.kick();
    await waitAtMost(this.idle(), maxMs);
    return this.buffer.size === 0;
  }

  /** What `GET /health` shows: rows held, not yet accepted by SQS. */
  status(): Record<string, unknown> {
    return {
      pending_rows: this.buffer.size,
      failing_since: this.failingSince?.toISOString() ?? null,
    };
  }

  async flush(options: { readonly timeoutMs?: number } = {}): Promise<void> {
    if (this.buffer.size === 0) return;
    this.kick();
    if (options.timeoutMs === undefined) return this.idle();
    if (!(await waitAtMost(this.idle(), options.timeoutMs))) {
      throw new ResultsStoreError(
        'flush_timeout',
        `${this.buffer.size} result rows not sent after ${options.timeoutMs} ms`,
      );
    }
  }

  private idle(): Promise<void> {
    if (this.buffer.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private recorded(): void {
    if (this.sentOnce || !this.options.holdFirstSend) this.kick();
  }

  /** Starts sending unless a round is under way or a retry is waiting for its time. */
  private kick(): void {
    this.sentOnce = true;
    if (this.draining || this.retryTimer) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  private async drain(): Promise<void> {
    // Start after the current synchronous work, so that rows recorded together (a request's live
    // and shadow rows, a loop of records) leave in one call.
    await Promise.resolve();
    for (let round = this.buffer.take(ROUND_ROWS); round; round = this.buffer.take(ROUND_ROWS)) {
      const unsent = await this.sendRound(round);
      if (unsent.error) {
        for (const message of unsent.messages.reverse()) this.buffer.putBack(message);
        const retryInMs = this.backoff.next();
        this.noteFailure(unsent.error, retryInMs);
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.kick();
        }, retryInMs);
        this.retryTimer.unref();
        return;
      }
      this.noteRecovery();
    }
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /**
   * Sends one round's rows as SendMessageBatch calls; returns the messages SQS did not take and
   * why. Entries SQS refuses as malformed (a sender fault that no retry fixes) are dropped.
   */
  private async sendRound(round: SinkMessage): Promise<{ error?: unknown; messages: SinkMessage[] }> {
    const messages = packMessages(round, this.maxMessageBytes, this.logger);
    const packedRows = messages.reduce((n, m) => n + messageRows(m.message), 0);
    if (packedRows < messageRows(round)) this.buffer.discard(messageRows(round) - packedRows);
    const failed: SinkMessage[] = [];
    let error: unknown;
    // The round's calls go out together: a large reply's rows (a 10 × 200 request is about a
    // dozen 256 KiB messages) then cost one round trip to SQS, not one a call.
    await Promise.all(
      packCalls(messages, this.maxBatchBytes).map(async (call) => {
        try {
          const reply = await this.options.client.sendMessageBatch({
            QueueUrl: this.options.queueUrl,
            Entries: call.map((m, i) => ({ Id: String(i), MessageBody: m.body })),
          });
          const taken = new Set((reply.Successful ?? []).map((s) => s.Id));
          for (const [i, m] of call.entries()) {
            const failure = reply.Failed?.find((f) => f.Id === String(i));
            // Sent only when SQS says so: an entry in neither list is kept and sent again.
            if (!failure && taken.has(String(i))) this.buffer.done(m.message);
            else if (!failure) {
              failed.push(m.message);
              error ??= new Error(`SQS answered neither success nor failure for entry ${i}`);
            } else if (failure.SenderFault) {
              this.logger?.error('results message refused by SQS, dropped', {
                code: failure.Code,
                message: failure.Message,
                rows: messageRows(m.message),
              });
              this.buffer.discard(messageRows(m.message));
            } else {
              failed.push(m.message);
              error ??= new Error(`SQS failed entry ${failure.Id}: ${failure.Code} ${failure.Message ?? ''}`);
            }
          }
        } catch (sendError) {
          error ??= sendError;
          failed.push(...call.map((m) => m.message));
        }
      }),
    );
    // Entries failed by SQS are retried after the other calls of the round went through.
    return error === undefined ? { messages: [] } : { error, messages: failed };
  }

  private noteFailure(error: unknown, retryInMs: number): void {
    if (this.failingSince) return;
    this.failingSince = new Date();
    this.logger?.warn('results queue unavailable: rows are kept and retried', {
      error: error instanceof Error ? error.message : String(error),
      pending_rows: this.buffer.size,
      retry_in_ms: retryInMs,
    });
  }

  private noteRecovery(): void {
    this.backoff.reset();
    if (!this.failingSince) return;
    this.logger?.info('results queue reachable again', {
      unavailable_since: this.failingSince.toISOString(),
    });
    this.failingSince = undefined;
  }
}

interface PackedMessage {
  readonly message: SinkMessage;
  readonly body: string;
  readonly bytes: number;
}

/**
 * Packs a round's items into message bodies of at most `maxBytes` (UTF-8), in order. A scoring's
 * pairs too large for one message (a request of many thousands of pairs) go as rows instead.
 */
export function packMessages(
  round: SinkMessage,
  maxBytes: number,
  logger?: Pick<Logger, 'error'>,
): PackedMessage[] {
  const packed: PackedMessage[] = [];
  let kind = round.kind;
  let items: SinkItem[] = [];
  let parts: string[] = [];
  let bytes = ENVELOPE_BYTES;
  const close = () => {
    if (items.length === 0) return;
    const key = kind === 'results' ? 'rows' : kind;
    const message = { kind, [key]: items } as unknown as SinkMessage;
    packed.push({ message, body: `{"kind":"${kind}","${key}":[${parts.join(',')}]}`, bytes });
    items = [];
    parts = [];
    bytes = ENVELOPE_BYTES;
  };
  const add = (itemKind: SinkMessage['kind'], item: SinkItem, json: string, size: number) => {
    if (itemKind !== kind || bytes + size > maxBytes) close();
    kind = itemKind;
    items.push(item);
    parts.push(json);
    bytes += size;
  };
  for (const item of sinkItems(round)) {
    const json = JSON.stringify(item);
    const size = Buffer.byteLength(json, 'utf8') + 1;
    if (size + ENVELOPE_BYTES <= maxBytes) {
      add(round.kind, item, json, size);
      continue;
    }
    if (round.kind === 'pairs') {
      for (const row of pairsAsRows([item as ScoredPairs])) {
        const rowJson = JSON.stringify(row);
        add('results', row, rowJson, Buffer.byteLength(rowJson, 'utf8') + 1);
      }
      continue;
    }
    // Cannot happen with the contract's 256-character ids; said rather than sent and refused.
    logger?.error('result row larger than an SQS message, dropped', { bytes: size });
  }
  close();
  return packed;
}

/** Groups messages into SendMessageBatch calls: at most 10 entries and `maxBatchBytes` a call. */
export function packCalls(messages: readonly PackedMessage[], maxBatchBytes: number): PackedMessage[][] {
  const calls: PackedMessage[][] = [];
  let call: PackedMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    if (call.length === SQS_LIMITS.entries || (call.length > 0 && bytes + message.bytes > maxBatchBytes)) {
      calls.push(call);
      call = [];
      bytes = 0;
    }
    call.push(message);
    bytes += message.bytes;
  }
  if (call.length > 0) calls.push(call);
  return calls;
}
