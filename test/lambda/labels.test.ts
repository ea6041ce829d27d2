import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { readConfig } from '../../lambda/config';
import { createLabelsHandler } from '../../lambda/labels';
import { requestModels } from '../../lambda/model';
import { createPredictHandler } from '../../lambda/predict';
import { discardingSink, MemorySink } from '../../lambda/results';
import { SqsSink } from '../../lambda/results/sqs-sink';
import { loadEvent } from '../helpers/events';
import { SqsServer } from '../helpers/sqs-server';

const logger = new Logger({ logLevel: 'SILENT' });
const feedbackEvent = () => loadEvent<APIGatewayProxyEvent>('feedback/api-gateway-feedback');

describe('POST /feedback through the labels handler', () => {
  it('answers 202 with one entry per item, and hands the good labels to the sink', async () => {
    const sink = new MemorySink();
    const handler = createLabelsHandler({ config: readConfig({}), sink, logger });

    const reply = (await handler(feedbackEvent())) as APIGatewayProxyResult;

    expect(reply.statusCode).toBe(202);
    expect(JSON.parse(reply.body)).toEqual([
      { budget_id: '309366', itemization_id: '4659497', accepted: true },
      { budget_id: '309366', itemization_id: '4659496', accepted: true },
      {
        index: 2,
        accepted: false,
        error: { code: 'invalid_field', message: expect.any(String), field: '[2].match' },
      },
    ]);
    expect(sink.labels).toEqual([
      expect.objectContaining({
        budget_id: '309366',
        itemization_id: '4659497',
        is_match: true,
        source: 'api',
      }),
      expect.objectContaining({
        budget_id: '309366',
        itemization_id: '4659496',
        is_match: false,
        source: 'api',
      }),
    ]);
  });

  it('answers 400 with the error shape for a body that is not a list', async () => {
    const sink = new MemorySink();
    const handler = createLabelsHandler({ config: readConfig({}), sink, logger });
    const event = { ...feedbackEvent(), body: '{"budget_id": "1"}' };

    const reply = (await handler(event)) as APIGatewayProxyResult;

    expect(reply.statusCode).toBe(400);
    expect(JSON.parse(reply.body)).toEqual({
      error: expect.objectContaining({ code: 'invalid_request', field: 'body' }),
    });
    expect(sink.labels).toEqual([]);
  });

  it('answers 405 for GET /feedback', async () => {
    const handler = createLabelsHandler({ config: readConfig({}), sink: new MemorySink(), logger });

    const reply = (await handler({ ...feedbackEvent(), httpMethod: 'GET' })) as APIGatewayProxyResult;

    expect(reply.statusCode).toBe(405);
  });

  it('answers 503 feedback_unavailable where results are not recorded, rather than losing labels', async () => {
    const handler = createLabelsHandler({ config: readConfig({}), sink: discardingSink, logger });

    const reply = (await handler(feedbackEvent())) as APIGatewayProxyResult;

    expect(reply.statusCode).toBe(503);
    expect(JSON.parse(reply.body)).toEqual({
      error: expect.objectContaining({ code: 'feedback_unavailable' }),
    });
  });

  it('answers 503 results_backlog when the sink cannot take the labels', async () => {
    const sink = new MemorySink();
    sink.recordLabels = () => false;
    const handler = createLabelsHandler({ config: readConfig({}), sink, logger });

    const reply = (await handler(feedbackEvent())) as APIGatewayProxyResult;

    expect(reply.statusCode).toBe(503);
    expect(JSON.parse(reply.body)).toEqual({ error: expect.objectContaining({ code: 'results_backlog' }) });
  });

  it('answers 503 results_handoff_timeout (retryable) when SQS does not take the labels in time, and sends them later', async () => {
    const sqs = new SqsServer();
    await sqs.start();
    sqs.delayMs = 800;
    const sink = new SqsSink({ queueUrl: sqs.queueUrl, client: sqs.client() });
    const handler = createLabelsHandler({ config: readConfig({ RESULTS_HANDOFF_MS: '50' }), sink, logger });
    try {
      const reply = (await handler(feedbackEvent())) as APIGatewayProxyResult;
      const heldAfterReply = sink.pendingRows;
      await sink.flush({ timeoutMs: 10_000 });

      expect(reply.statusCode).toBe(503);
      expect(JSON.parse(reply.body)).toEqual({
        error: expect.objectContaining({ code: 'results_handoff_timeout' }),
      });
      // The two good labels were held when the reply left, and reached SQS after.
      expect(heldAfterReply).toBe(2);
      const sent = sqs.taken.flatMap((body) => (JSON.parse(body) as { labels?: unknown[] }).labels ?? []);
      expect(sent).toHaveLength(2);
    } finally {
      await sqs.stop();
    }
  });

  it('answers 202 once SQS has taken the labels within the bound', async () => {
    const sqs = new SqsServer();
    await sqs.start();
    sqs.delayMs = 20;
    const sink = new SqsSink({ queueUrl: sqs.queueUrl, client: sqs.client() });
    const handler = createLabelsHandler({ config: readConfig({ RESULTS_HANDOFF_MS: '5000' }), sink, logger });
    try {
      const reply = (await handler(feedbackEvent())) as APIGatewayProxyResult;

      expect(reply.statusCode).toBe(202);
      expect(sink.pendingRows).toBe(0);
      expect(
        sqs.taken.flatMap((body) => (JSON.parse(body) as { labels?: unknown[] }).labels ?? []),
      ).toHaveLength(2);
    } finally {
      await sqs.stop();
    }
  });
});

describe('who can write labels', () => {
  // Importing the predict module starts its cold-start model load; let it finish before Jest
  // tears the environment down (these tests never score, so nothing else waits for it).
  afterAll(() => requestModels(readConfig({})).catch(() => undefined));

  it('the scoring function refuses a /feedback event, forged or real, with 404, and records no label', async () => {
    const sink = new MemorySink();
    const predict = createPredictHandler({ config: readConfig({}), sink, logger });

    const reply = (await predict(feedbackEvent())) as APIGatewayProxyResult;

    expect(reply.statusCode).toBe(404);
    expect(JSON.parse(reply.body)).toEqual({
      error: expect.objectContaining({
        code: 'not_found',
        message: expect.stringMatching(/labels function/),
      }),
    });
    expect(sink.labels).toEqual([]);
  });

  it('the labels function refuses a direct invoke and the scoring route with 404', async () => {
    const sink = new MemorySink();
    const labels = createLabelsHandler({ config: readConfig({}), sink, logger });
    const scoring = {
      ...feedbackEvent(),
      path: '/budget_expense_matcher',
      resource: '/budget_expense_matcher',
    };

    const invoked = await labels([{ budget_id: '1', itemization_id: '2', match: true }]);
    const routed = (await labels(scoring)) as APIGatewayProxyResult;

    expect(invoked).toEqual({ error: expect.objectContaining({ code: 'not_found' }) });
    expect(routed.statusCode).toBe(404);
    expect(sink.labels).toEqual([]);
  });
});
