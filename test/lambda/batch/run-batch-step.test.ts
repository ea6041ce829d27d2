import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createBatchHandler } from '../../../lambda/batch';
import type { BatchItem, BatchItemResult, BatchPlan, BatchSummary } from '../../../lambda/batch/index';
import { readConfig } from '../../../lambda/config';
import { MemorySink } from '../../../lambda/results';
import { makeRequest, predictHandler } from '../../helpers/requests';
import { useS3Server } from '../../helpers/s3-server';

describe('the batch function: plan, score items, summarise (against a loopback S3)', () => {
  const s3server = useS3Server();
  let s3: S3Client;
  const sink = new MemorySink();
  const published: unknown[] = [];
  const requests = Array.from({ length: 23 }, (_, tag) =>
    JSON.stringify(makeRequest({ budgets: 2, items: 3 + (tag % 4), tag })),
  );
  requests[6] = '{"budgets": [1, 2]'; // line 7: not JSON
  requests[15] = '{"all_user_expense_lineitems": []}'; // line 16: budgets missing
  const body = requests.join('\n'); // the last line without its newline
  let handler: ReturnType<typeof createBatchHandler>;

  beforeAll(async () => {
    s3 = new S3Client({ endpoint: s3server.endpoint, forcePathStyle: true, region: 'us-east-1' });
    await s3.send(
      new PutObjectCommand({ Bucket: s3server.bucket, Key: 'batch/in/requests.jsonl', Body: body }),
    );
    handler = createBatchHandler({
      s3,
      config: readConfig({}),
      batch: { prefix: 'batch/', linesPerItem: 10, maxItemBytes: 64 * 1024 * 1024 },
      sink,
      publish: (counts) => published.push(counts),
    });
  });
  afterAll(() => {
    s3.destroy();
  });

  const read = async (key: string) =>
    (await (
      await s3.send(new GetObjectCommand({ Bucket: s3server.bucket, Key: key }))
    ).Body?.transformToString()) ?? '';

  it('scores every line as the predict function answers it, in order, bad lines as error objects, with role batch', async () => {
    const plan = (await handler({
      action: 'plan',
      bucket: s3server.bucket,
      key: 'batch/in/requests.jsonl',
      runId: 'run-1',
    })) as BatchPlan;
    const items = JSON.parse(await read(plan.itemsKey)) as BatchItem[];
    const results: BatchItemResult[] = [];
    for (const item of items)
      results.push((await handler({ action: 'score', runId: 'run-1', ...item })) as BatchItemResult);
    const replies = (await Promise.all(results.map((r) => read(r.outputKey))))
      .join('')
      .split('\n')
      .slice(0, -1);

    expect(plan).toMatchObject({ items: 3, lines: 23, outputPrefix: 'batch/runs/run-1/replies/' });
    expect(items.map((i) => [i.firstLine, i.lines])).toEqual([
      [0, 10],
      [10, 10],
      [20, 3],
    ]);
    expect(replies).toHaveLength(23);
    const direct = predictHandler();
    for (const [i, line] of replies.entries()) {
      if (i === 6 || i === 15) continue;
      expect(JSON.parse(line)).toEqual(await direct(JSON.parse(requests[i] as string)));
    }
    expect(JSON.parse(replies[6] as string)).toMatchObject({ error: { code: 'invalid_json' }, line: 7 });
    expect(JSON.parse(replies[15] as string)).toMatchObject({
      error: { code: 'missing_field', field: 'budgets' },
      line: 16,
    });
    expect(results.map((r) => r.failedLines)).toEqual([1, 1, 0]);
    expect(sink.rows.every((r) => r.role === 'batch')).toBe(true);
    expect(new Set(sink.rows.map((r) => r.request_id)).size).toBe(21);
    expect(sink.rows.filter((r) => r.request_id === 'run-1/23')).toHaveLength(2 * (3 + (22 % 4)));
  });

  it('summarises a run from the map result files: failed items reported and published, the run not failed', async () => {
    const base = 'batch/runs/run-1/map/abc/';
    const ok = {
      Output: JSON.stringify({ failedLines: 1, pairs: 40 }),
      Input: JSON.stringify({ firstLine: 0, lines: 10 }),
    };
    const failedItem = {
      Input: JSON.stringify({ firstLine: 10, lines: 10 }),
      Error: 'Lambda.Unknown',
      Cause: 'timed out',
    };
    await Promise.all([
      s3.send(
        new PutObjectCommand({
          Bucket: s3server.bucket,
          Key: `${base}SUCCEEDED_0.json`,
          Body: JSON.stringify([ok, ok]),
        }),
      ),
      s3.send(
        new PutObjectCommand({
          Bucket: s3server.bucket,
          Key: `${base}FAILED_0.json`,
          Body: JSON.stringify([failedItem]),
        }),
      ),
      s3.send(
        new PutObjectCommand({
          Bucket: s3server.bucket,
          Key: `${base}manifest.json`,
          Body: JSON.stringify({
            ResultFiles: {
              SUCCEEDED: [{ Key: `${base}SUCCEEDED_0.json` }],
              FAILED: [{ Key: `${base}FAILED_0.json` }],
              PENDING: [],
            },
          }),
        }),
      ),
    ]);

    const summary = (await handler({
      action: 'summarise',
      runId: 'run-1',
      plan: {
        bucket: s3server.bucket,
        itemsKey: 'x',
        items: 3,
        lines: 30,
        outputPrefix: 'batch/runs/run-1/replies/',
      },
      map: {
        MapRunArn: 'arn',
        ResultWriterDetails: { Bucket: s3server.bucket, Key: `${base}manifest.json` },
      },
    })) as BatchSummary;

    expect(summary).toMatchObject({
      failedItems: 1,
      failed: [{ firstLine: 11, lines: 10, error: 'Lambda.Unknown: timed out' }],
      failedLines: 2,
      pairs: 80,
    });
    expect(published).toEqual([{ failedItems: 1, failedLines: 2, pairs: 80 }]);
  });

  it('refuses keys outside its prefix and events that are not a batch step', async () => {
    await expect(
      handler({ action: 'plan', bucket: s3server.bucket, key: 'models/manifest.json', runId: 'run-2' }),
    ).rejects.toMatchObject({ code: 'key_outside_prefix' });
    await expect(handler({ action: 'score', key: 'batch/x' })).rejects.toMatchObject({
      code: 'invalid_batch_event',
    });
  });
});
