import { Logger } from '@aws-lambda-powertools/logger';
import { readConfig } from '../../../lambda/config';
import type { ReplyEntry } from '../../../lambda/contract';
import { createPredictHandler } from '../../../lambda/predict';
import { MemorySink, toResultRows } from '../../../lambda/results';
import { loadRequest } from '../../helpers/events';

const run = {
  requestId: 'req-1',
  modelVersion: 'v1',
  threshold: 0.5,
  role: 'live',
  scoredAt: new Date('2026-11-23T10:00:00Z'),
} as const;

describe('toResultRows', () => {
  it('turns scored and error entries into one row each, in reply order', () => {
    const entries: ReplyEntry[] = [
      { budget_id: 'b1', itemization_id: 'i1', score: 0.9, match: true },
      { itemization_index: 3, score: null, error: { code: 'missing_id', message: 'no id', field: 'id' } },
    ];

    const rows = toResultRows(entries, run);

    expect(rows).toEqual([
      {
        request_id: 'req-1',
        entry_index: 0,
        budget_id: 'b1',
        itemization_id: 'i1',
        score: 0.9,
        decision: true,
        threshold: 0.5,
        model_version: 'v1',
        role: 'live',
        error_code: null,
        scored_at: '2026-11-23T10:00:00.000Z',
      },
      expect.objectContaining({
        entry_index: 1,
        budget_id: null,
        itemization_id: null,
        score: null,
        decision: null,
        error_code: 'missing_id',
      }),
    ]);
  });
});

describe('predict handler → results sink', () => {
  it('records every reply entry with the request id and the model that scored it', async () => {
    const sink = new MemorySink();
    const handler = createPredictHandler({
      config: readConfig({}),
      sink,
      logger: new Logger({ logLevel: 'SILENT' }),
    });

    const reply = (await handler(loadRequest('direct-invoke-trip'), { awsRequestId: 'abc' })) as ReplyEntry[];

    expect(sink.rows).toHaveLength(reply.length);
    expect(sink.rows.map((r) => [r.budget_id, r.itemization_id, r.score])).toEqual(
      reply.map((e) => [e.budget_id ?? null, e.itemization_id ?? null, e.score]),
    );
    expect(new Set(sink.rows.map((r) => r.request_id))).toEqual(new Set(['abc']));
    expect(sink.rows[0]?.model_version).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('still answers with the scores when the sink throws', async () => {
    const sink = new MemorySink();
    sink.record = () => {
      throw new Error('queue full');
    };
    const handler = createPredictHandler({
      config: readConfig({}),
      sink,
      logger: new Logger({ logLevel: 'SILENT' }),
    });

    const reply = await handler(loadRequest('seed-request'));

    expect(reply).toEqual([expect.objectContaining({ budget_id: '309366', score: expect.any(Number) })]);
  });

  it('records nothing for a request rejected as a whole', async () => {
    const sink = new MemorySink();
    const handler = createPredictHandler({
      config: readConfig({}),
      sink,
      logger: new Logger({ logLevel: 'SILENT' }),
    });

    await handler({
      httpMethod: 'POST',
      path: '/budget_expense_matcher',
      body: '{not json',
      requestContext: {},
    });

    expect(sink.rows).toEqual([]);
  });
});
