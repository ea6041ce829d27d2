import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { InvocationLog, type InvocationResult } from '../../../local/invoke';
import { LoopbackSqs } from '../../../local/lambda-runtime/loopback-sqs';
import { QueuePoller } from '../../../local/lambda-runtime/queue-poller';

/** A writer stand-in: keeps the batches it gets and fails the bodies `fails` names. */
function writer(fails: (body: string) => boolean = () => false) {
  const batches: string[][] = [];
  const invoke = async (event: SQSEvent): Promise<InvocationResult> => {
    batches.push(event.Records.map((r) => r.body));
    const batchItemFailures = event.Records.filter((r) => fails(r.body)).map((r) => ({
      itemIdentifier: r.messageId,
    }));
    return {
      requestId: 'w',
      outcome: 'success',
      payload: JSON.stringify({ batchItemFailures }),
      functionError: undefined,
      log: new InvocationLog(),
      durationMs: 1,
    };
  };
  return { batches, invoke };
}

describe('the loopback results queue and its event source', () => {
  const queues: LoopbackSqs[] = [];
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.stop()));
  });

  async function setUp(fails?: (body: string) => boolean, maxReceiveCount = 2, ready?: Promise<unknown>) {
    let poller: QueuePoller | undefined;
    const queue = new LoopbackSqs({ maxReceiveCount, onMessages: () => poller?.notify() });
    await queue.start();
    queues.push(queue);
    const consumer = writer(fails);
    poller = new QueuePoller({
      queue,
      invoke: consumer.invoke,
      batchSize: 3,
      batchWindowMs: 10,
      queueArn: 'arn:aws:sqs:us-east-1:000000000000:results',
      region: 'us-east-1',
      ...(ready ? { ready } : {}),
    });
    const client = new SQSClient({
      endpoint: queue.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const send = (bodies: string[]) =>
      client.send(
        new SendMessageBatchCommand({
          QueueUrl: queue.queueUrl,
          Entries: bodies.map((MessageBody, i) => ({ Id: String(i), MessageBody })),
        }),
      );
    return { queue, poller, consumer, send, client };
  }

  it("takes the SDK's SendMessageBatch and hands the messages to the writer in batches of the batch size", async () => {
    const { poller, consumer, send, client } = await setUp();

    const sent = await send(['a', 'b', 'c', 'd', 'e']);
    await poller.drain(5000);

    expect(sent.Successful).toHaveLength(5);
    expect(consumer.batches.flat()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(consumer.batches.every((b) => b.length <= 3)).toBe(true);
    client.destroy();
  });

  it('returns the messages the writer reports failed, and sends one failing every time to the dead letters', async () => {
    const { queue, poller, consumer, send, client } = await setUp((body) => body === 'bad', 2);

    await send(['ok-1', 'bad', 'ok-2']);
    await poller.drain(10_000);

    expect(consumer.batches.flat().filter((b) => b === 'bad')).toHaveLength(2);
    expect(consumer.batches.flat().filter((b) => b.startsWith('ok'))).toEqual(['ok-1', 'ok-2']);
    expect(queue.deadLetters.map((m) => m.body)).toEqual(['bad']);
    expect(queue.depth + queue.inFlightCount).toBe(0);
    client.destroy();
  });

  it('delivers nothing until the consumer is ready, so a slow start sends nothing to the dead letters', async () => {
    let open: () => void = () => {};
    const ready = new Promise<void>((resolve) => {
      open = resolve;
    });
    const { queue, poller, consumer, send, client } = await setUp(undefined, 1, ready);

    await send(['a', 'b']);
    await poller.drain(300);
    expect(consumer.batches).toEqual([]);
    expect(queue.deadLetters).toEqual([]);

    open();
    await poller.drain(5000);
    expect(consumer.batches.flat()).toEqual(['a', 'b']);
    expect(queue.deadLetters).toEqual([]);
    client.destroy();
  });
});
