import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message waiting in the queue. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly sentAt: number;
  /** How many times it has been handed to the consumer. */
  receiveCount: number;
}

/** What the loopback queue takes. */
export interface LoopbackSqsOptions {
  /** The queue's name, the last part of its URL. @default 'results' */
  readonly name?: string;
  /** Receives before a message goes to the dead-letter list (the stack's redrive policy). @default 5 */
  readonly maxReceiveCount?: number;
  /** Called when messages arrive, so a consumer need not poll. */
  readonly onMessages?: () => void;
  /** Milliseconds each send is answered late (SQS's own latency, for benchmarks). @default 0 */
  readonly delayMs?: number;
}

const JSON_TYPE = 'application/x-amz-json-1.0';

/**
 * The results queue for local runs: an in-memory SQS queue behind an HTTP endpoint speaking the
 * JSON protocol the AWS SDK v3 uses, for `SendMessage` and `SendMessageBatch` (all the predict
 * function calls). The consumer (the writer's event source, {@link QueuePoller}) takes messages
 * in this process. Why not a library: no maintained npm SQS emulator runs without Java or Docker,
 * and these two operations are the whole surface the function uses.
 */
export class LoopbackSqs {
  private readonly messages: QueuedMessage[] = [];
  private readonly inFlight = new Map<string, QueuedMessage>();
  /** Messages that failed `maxReceiveCount` times (the dead-letter queue). */
  readonly deadLetters: QueuedMessage[] = [];
  private server: Server | undefined;
  private readonly name: string;
  private readonly maxReceiveCount: number;
  url = '';

  constructor(private readonly options: LoopbackSqsOptions = {}) {
    this.name = options.name ?? 'results';
    this.maxReceiveCount = options.maxReceiveCount ?? 5;
  }

  /** The queue URL the function sends to (`RESULTS_QUEUE_URL`). */
  get queueUrl(): string {
    return `${this.url}/000000000000/${this.name}`;
  }

  /** Messages waiting (not in flight). */
  get depth(): number {
    return this.messages.length;
  }

  /** Messages handed to the consumer and not yet deleted or returned. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Listens on a free loopback port. */
  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const delayMs = this.options.delayMs ?? 0;
        if (delayMs > 0) setTimeout(() => this.answerSend(req, res, chunks), delayMs);
        else this.answerSend(req, res, chunks);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Answers one send (after the configured delay). */
  private answerSend(req: IncomingMessage, res: ServerResponse, chunks: Buffer[]) {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': JSON_TYPE, 'x-amzn-requestid': randomUUID() });
      res.end(JSON.stringify(body));
    };
    const target = String(req.headers['x-amz-target'] ?? '');
    let input: { Entries?: { Id: string; MessageBody: string }[]; MessageBody?: string };
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as typeof input;
    } catch {
      return answer(400, {
        __type: 'com.amazonaws.sqs#InvalidParameterValue',
        message: 'body is not JSON',
      });
    }
    if (target === 'AmazonSQS.SendMessage' && typeof input.MessageBody === 'string') {
      const message = this.send(input.MessageBody);
      return answer(200, { MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody });
    }
    if (target === 'AmazonSQS.SendMessageBatch' && Array.isArray(input.Entries)) {
      const Successful = input.Entries.map((entry) => {
        const message = this.send(entry.MessageBody);
        return { Id: entry.Id, MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody };
      });
      return answer(200, { Successful, Failed: [] });
    }
    answer(400, {
      __type: 'com.amazonaws.sqs#UnsupportedOperation',
      message: `the local queue answers SendMessage and SendMessageBatch, not ${target || 'this request'}`,
    });
  }

  /** Adds a message, as `SendMessage` does. */
  send(body: string): QueuedMessage {
    const message: QueuedMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: createHash('md5').update(body).digest('hex'),
      sentAt: Date.now(),
      receiveCount: 0,
    };
    this.messages.push(message);
    this.options.onMessages?.();
    return message;
  }

  /** Takes up to `max` messages, oldest first; they stay in flight until deleted or returned. */
  receive(max: number): QueuedMessage[] {
    const taken = this.messages.splice(0, max);
    for (const message of taken) {
      message.receiveCount++;
      this.inFlight.set(message.messageId, message);
    }
    return taken;
  }

  /** Deletes messages the consumer processed. */
  delete(messageIds: Iterable<string>): void {
    for (const id of messageIds) this.inFlight.delete(id);
  }

  /** Returns messages the consumer failed: to the queue again, or past `maxReceiveCount` to the dead letters. */
  release(messageIds: Iterable<string>): void {
    for (const id of messageIds) {
      const message = this.inFlight.get(id);
      if (!message) continue;
      this.inFlight.delete(id);
      if (message.receiveCount >= this.maxReceiveCount) this.deadLetters.push(message);
      else this.messages.push(message);
    }
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    server?.closeAllConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
