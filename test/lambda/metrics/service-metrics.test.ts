import { Logger } from '@aws-lambda-powertools/logger';
import { readConfig, readServiceConfig } from '../../../lambda/config';
import { createServiceMetrics, PREDICT_METRICS } from '../../../lambda/metrics';
import { createPredictHandler } from '../../../lambda/predict';
import { MemorySink } from '../../../lambda/results';
import { SqsSink } from '../../../lambda/results/sqs-sink';
import { loadRequest } from '../../helpers/events';
import { resultRows } from '../../helpers/result-rows';

/** The EMF documents written to stdout while `work` runs. */
async function emfDuring(work: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const LAMBDA_ENV = {
  AWS_LAMBDA_FUNCTION_NAME: 'predict',
  POWERTOOLS_METRICS_NAMESPACE: PREDICT_METRICS.namespace,
  POWERTOOLS_SERVICE_NAME: PREDICT_METRICS.service,
};

describe('the predict function metrics', () => {
  it('in Lambda: publish PairsScored and ItemErrors per invocation as EMF, dimension service only', async () => {
    const logger = new Logger({ logLevel: 'SILENT' });
    const metrics = createServiceMetrics(logger, readServiceConfig(LAMBDA_ENV));
    const handler = createPredictHandler({ config: readConfig({}), sink: new MemorySink(), logger, metrics });
    const request = loadRequest('direct-invoke-trip');
    request.all_user_expense_lineitems.push({ itemization_id: null });

    let scored = 0;
    const docs = await emfDuring(async () => {
      const reply = (await handler(request)) as { score: number | null }[];
      scored = reply.filter((e) => e.score !== null).length;
    });

    expect(scored).toBeGreaterThan(1);
    expect(docs).toHaveLength(1);
    const [doc] = docs as { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] } }[];
    expect(doc?._aws.CloudWatchMetrics[0]?.Namespace).toBe(PREDICT_METRICS.namespace);
    expect(doc?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service']]);
    expect(doc).toEqual(
      expect.objectContaining({
        service: PREDICT_METRICS.service,
        PairsScored: scored,
        ItemErrors: 1,
      }),
    );
  });

  it('in Lambda: publish ResultRowsDropped when the sink drops rows over its cap, and ResultRowsHeld for rows not handed off', async () => {
    const logger = new Logger({ logLevel: 'SILENT' });
    const metrics = createServiceMetrics(logger, readServiceConfig(LAMBDA_ENV));
    const sink = new SqsSink({
      queueUrl: 'http://127.0.0.1:1/queue',
      client: {
        sendMessageBatch: async () => {
          throw new Error('SQS is unreachable');
        },
      },
      maxBufferedRows: 5,
      retry: { initialMs: 60_000, maxMs: 60_000 },
      onDrop: (rows) => metrics.count(PREDICT_METRICS.rowsDropped, rows),
    });
    sink.record(resultRows(5, 'fills-the-buffer'));
    await sink.settle(1000);
    const handler = createPredictHandler({ config: readConfig({}), sink, logger, metrics });

    const docs = await emfDuring(async () => {
      await handler(loadRequest('seed-request'));
    });

    expect(docs).toEqual([
      expect.objectContaining({ ResultRowsDropped: 1, ResultRowsHeld: 5, PairsScored: 1 }),
    ]);
  });

  it('outside Lambda: write no EMF to stdout', async () => {
    const logger = new Logger({ logLevel: 'SILENT' });
    const handler = createPredictHandler({
      config: readConfig({}),
      sink: new MemorySink(),
      logger,
      metrics: createServiceMetrics(logger, readServiceConfig({})),
    });

    const docs = await emfDuring(async () => {
      await handler(loadRequest('seed-request'));
    });

    expect(docs).toEqual([]);
  });
});
