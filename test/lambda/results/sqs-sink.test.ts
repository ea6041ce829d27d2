import type { Logger } from '@aws-lambda-powertools/logger';
import { resultsMessageSchema } from '../../../lambda/results';
import { pairsAsRows, pairsMessageSchema } from '../../../lambda/results/results-message';
import type { ScoredPairs } from '../../../lambda/results/scored-pairs';
import { SQS_LIMITS, type SqsSender, SqsSink } from '../../../lambda/results/sqs-sink';
import { RecordingLogger } from '../../helpers/recording-logger';
import { label, resultRows } from '../../helpers/result-rows';
import { SqsServer } from '../../helpers/sqs-server';

describe('SqsSink against a loopback SQS endpoint', () => {
  let sqs: SqsServer;
  beforeEach(async () => {
    sqs = new SqsServer();
    await sqs.start();
  });
  afterEach(async () => {
    await sqs.stop();
  });

  /** Every row the server took, parsed as the writer parses it (pairs become rows). */
  const receivedRows = () =>
    sqs.taken.flatMap((body) => {
      const pairs = pairsMessageSchema.safeParse(JSON.parse(body));
      const json = pairs.success
        ? { kind: 'results', rows: pairsAsRows(pairs.data.pairs as ScoredPairs[]) }
        : JSON.parse(body);
      const message = resultsMessageSchema.parse(json);
      return message.kind === 'results' ? message.rows : [];
    });

  /** A scoring of `budgets` × `items` as the matcher hands it over. */
  const scoredPairs = (budgets: number, items: number, requestId: string): ScoredPairs => ({
    request_id: requestId,
    role: 'live',
    model_version: 'm-1',
    threshold: 0.5,
    scored_at: '2026-12-02T10:00:00.000Z',
    budgets: Array.from({ length: budgets }, (_, b) => `budget-${b}`),
    items: Array.from({ length: items }, (_, i) => `item-${i}`),
    scores: Array.from(
      { length: budgets * items },
      (_, k) => Math.round(((k * 7919) % 1000) / 1.000001) / 1000,
    ),
  });

  it('sends a scoring as pairs: a 10 × 2,000 request is one message under 256 KiB, every row decoded', async () => {
    const sink = new SqsSink({ queueUrl: sqs.queueUrl, client: sqs.client() });

    sink.recordPairs(scoredPairs(10, 2000, 'pairs-1'));
    expect(sink.pendingRows).toBe(20_000);
    await sink.flush({ timeoutMs: 10_000 });

    expect(sqs.taken).toHaveLength(1);
    expect(Buffer.byteLength(sqs.taken[0] as string)).toBeLessThanOrEqual(SQS_LIMITS.messageBytes);
    const rows = receivedRows();
    expect(rows).toHaveLength(20_000);
    expect(rows.map((r) => r.entry_index)).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
    expect(rows[2001]).toMatchObject({
      budget_id: 'budget-1',
      itemization_id: 'item-1',
      request_id: 'pairs-1',
    });
    expect(sink.pendingRows).toBe(0);
  });

  it('sends a scoring too large for one message as rows, every message under 256 KiB', async () => {
    const sink = new SqsSink({ queueUrl: sqs.queueUrl, client: sqs.client() });

    sink.recordPairs(scoredPairs(10, 200, 'small'));
    sink.recordPairs(scoredPairs(10, 5000, 'large'));
    await sink.flush({ timeoutMs: 20_000 });

    for (const body of sqs.taken)
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(SQS_LIMITS.messageBytes);
    const rows = receivedRows();
    expect(rows.filter((r) => r.request_id === 'small')).toHaveLength(2000);
    expect(new Set(rows.filter((r) => r.request_id === 'large').map((r) => r.entry_index)).size).toBe(50_000);
    expect(sink.pendingRows).toBe(0);
  });

  it('packs consecutive requests into messages and sends at most 10 entries a call', async () => {
    // About 300 bytes a row: 2 rows a message, so 25 requests of 1 row make 13 messages.
    const sink = new SqsSink({ queueUrl: sqs.queueUrl, client: sqs.client(), maxMessageBytes: 700 });

    for (let r = 0; r < 25; r += 1) sink.record(resultRows(1, `req-${r}`));
    await sink.flush({ timeoutMs: 5000 });

    expect(sqs.calls.map((c) => c.entries.length)).toEqual([10, 3]);
    expect(receivedRows().map((r) => r.request_id)).toEqual(Array.from({ length: 25 }, (_, r) => `req-${r}`));
    expect(sink.pendingRows).toBe(0);
  });

  it('keeps every message and every call under 256 KiB, and sends each row once', async () => {
    const sink = new SqsSink({ queueUrl: sqs.queueUrl, client: sqs.client() });

    sink.record(resultRows(20_000, 'big'));
    await sink.flush({ timeoutMs: 10_000 });

    for (const call of sqs.calls) {
      const bytes = call.entries.map((e) => Buffer.byteLength(e.MessageBody));
      expect(call.entries.length).toBeLessThanOrEqual(SQS_LIMITS.entries);
      expect(Math.max(...bytes)).toBeLessThanOrEqual(SQS_LIMITS.messageBytes);
      expect(bytes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(SQS_LIMITS.batchBytes);
    }
    const rows = receivedRows();
    expect(rows).toHaveLength(20_000);
    expect(new Set(rows.map((r) => r.entry_index)).size).toBe(20_000);
    expect(sqs.taken.length).toBeLessThan(40);
  });

  it('retries the entries SQS failed, and only those', async () => {
    const sink = new SqsSink({
      queueUrl: sqs.queueUrl,
      client: sqs.client(),
      maxMessageBytes: 700,
      retry: { initialMs: 10, maxMs: 10 },
    });
    sqs.verdict = (entry, call) => (call === 0 && entry.Id === '1' ? 'retry' : undefined);

    for (let r = 0; r < 6; r += 1) sink.record(resultRows(1, `req-${r}`));
    await sink.flush({ timeoutMs: 5000 });

    expect(sqs.calls.map((c) => c.entries.length)).toEqual([3, 1]);
    expect(
      receivedRows()
        .map((r) => r.request_id)
        .sort(),
    ).toEqual(Array.from({ length: 6 }, (_, r) => `req-${r}`));
  });

  it('counts an entry sent only when SQS lists it as taken: one in neither list is sent again', async () => {
    const client = sqs.client();
    let calls = 0;
    // The first answer leaves entry 1 out of both lists (as a truncated or proxied answer might).
    const forgetful: SqsSender = {
      sendMessageBatch: async (input) => {
        const reply = await client.sendMessageBatch(input);
        if (calls++ > 0) return reply;
        return { Successful: reply.Successful?.filter((s) => s.Id !== '1'), Failed: [] };
      },
    };
    const sink = new SqsSink({
      queueUrl: sqs.queueUrl,
      client: forgetful,
      maxMessageBytes: 700,
      retry: { initialMs: 10, maxMs: 10 },
    });

    for (let r = 0; r < 3; r += 1) sink.record(resultRows(1, `req-${r}`));
    await sink.flush({ timeoutMs: 5000 });

    // The first call's entry 1 was sent again, alone.
    expect(sqs.calls).toHaveLength(2);
    expect(sqs.calls[1]?.entries.map((e) => e.MessageBody)).toEqual([sqs.calls[0]?.entries[1]?.MessageBody]);
    expect(sink.pendingRows).toBe(0);
    // Entry 1 went twice (SQS had it, unsaid); the writer's inserts are idempotent by key.
    expect(new Set(receivedRows().map((r) => r.request_id))).toEqual(new Set(['req-0', 'req-1', 'req-2']));
  });

  it('keeps the rows of a 200 answer that lists nothing, and sends them again', async () => {
    let calls = 0;
    const client = sqs.client();
    const empty: SqsSender = {
      sendMessageBatch: async (input) => (calls++ === 0 ? {} : client.sendMessageBatch(input)),
    };
    const sink = new SqsSink({
      queueUrl: sqs.queueUrl,
      client: empty,
      retry: { initialMs: 10, maxMs: 10 },
    });

    sink.record(resultRows(2, 'kept'));
    await sink.flush({ timeoutMs: 5000 });

    expect(calls).toBe(2);
    expect(receivedRows().map((r) => r.request_id)).toEqual(['kept', 'kept']);
  });

  it('drops and counts an entry SQS refuses as malformed instead of retrying it forever', async () => {
    const dropped: number[] = [];
    const logger = new RecordingLogger();
    const sink = new SqsSink({
      queueUrl: sqs.queueUrl,
      client: sqs.client(),
      onDrop: (n) => dropped.push(n),
      logger: logger as unknown as Logger,
    });
    sqs.verdict = () => 'sender-fault';

    sink.record(resultRows(3));
    await sink.flush({ timeoutMs: 5000 });

    expect(dropped).toEqual([3]);
    expect(logger.find('refused by SQS')).toHaveLength(1);
    expect(sink.pendingRows).toBe(0);
  });

  it('holdFirstSend: the first rows wait for settle (no client made before), later ones leave as recorded', async () => {
    const client: SqsSender = sqs.client();
    let made = 0;
    const lazy: SqsSender = {
      sendMessageBatch: (input) => {
        made++;
        return client.sendMessageBatch(input);
      },
    };
    const sink = new SqsSink({ queueUrl: sqs.queueUrl, client: lazy, holdFirstSend: true });

    sink.record(resultRows(3, 'first'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const beforeSettle = { calls: made, taken: sqs.taken.length, pending: sink.pendingRows };
    const settled = await sink.settle(5000);
    sink.record(resultRows(2, 'second'));
    const deadline = Date.now() + 5000;
    while (sink.pendingRows > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));

    expect(beforeSettle).toEqual({ calls: 0, taken: 0, pending: 3 });
    expect(settled).toBe(true);
    expect(sqs.calls).toHaveLength(2);
    expect(receivedRows().map((r) => r.request_id)).toEqual(['first', 'first', 'first', 'second', 'second']);
  });

  it('settle waits no longer than its bound; what is not sent stays buffered and goes later', async () => {
    const sink = new SqsSink({ queueUrl: sqs.queueUrl, client: sqs.client() });
    sqs.delayMs = 1000;

    sink.record(resultRows(10));
    const started = performance.now();
    await sink.settle(100);
    const waited = performance.now() - started;

    expect(waited).toBeGreaterThanOrEqual(95);
    expect(waited).toBeLessThan(600);
    expect(sink.pendingRows).toBe(10);
    await sink.settle(5000);
    expect(sink.pendingRows).toBe(0);
    expect(receivedRows()).toHaveLength(10);
  });

  it('settle costs one SendMessageBatch round trip when SQS answers (measured on loopback)', async () => {
    const sink = new SqsSink({ queueUrl: sqs.queueUrl, client: sqs.client() });
    sink.record(resultRows(1, 'warm-up'));
    await sink.settle(1000);
    const times: number[] = [];

    for (let r = 0; r < 20; r += 1) {
      sink.record(resultRows(20, `req-${r}`));
      const started = performance.now();
      await sink.settle(1000);
      times.push(performance.now() - started);
    }

    times.sort((a, b) => a - b);
    console.log(
      `SqsSink.settle on loopback SQS, 20 rows: median ${times[10]?.toFixed(1)} ms, max ${times[19]?.toFixed(1)} ms`,
    );
    expect(sink.pendingRows).toBe(0);
    expect(times[10]).toBeLessThan(100);
  });

  it('keeps rows while SQS is unreachable, up to the cap, and sends them when it is back', async () => {
    const dropped: number[] = [];
    const logger = new RecordingLogger();
    const queueUrl = sqs.queueUrl;
    const port = new URL(sqs.url).port;
    await sqs.stop();
    const sink = new SqsSink({
      queueUrl,
      client: sqs.client(),
      maxBufferedRows: 50,
      retry: { initialMs: 20, maxMs: 50 },
      onDrop: (n) => dropped.push(n),
      logger: logger as unknown as Logger,
    });

    sink.record(resultRows(40, 'kept'));
    sink.record(resultRows(40, 'dropped'));
    const taken = sink.recordLabels([label('b1', 'i1', true, '2026-01-01T00:00:00.000Z')]);
    await sink.settle(100);
    expect(sink.pendingRows).toBe(41);
    // While SQS is failing, settle does not add its bound to every reply: it returns at once.
    const started = performance.now();
    await sink.settle(1000);
    expect(performance.now() - started).toBeLessThan(500);
    sqs = new SqsServer();
    await sqs.startOn(Number(port));
    await sink.flush({ timeoutMs: 5000 });

    expect(taken).toBe(true);
    expect(dropped).toEqual([40]);
    expect(logger.find('results buffer full')).toHaveLength(1);
    expect(logger.find('results queue unavailable')).toHaveLength(1);
    expect(receivedRows().map((r) => r.request_id)).toEqual(Array(40).fill('kept'));
    expect(sqs.taken.map((b) => JSON.parse(b).kind)).toEqual(['results', 'labels']);
  });
});
