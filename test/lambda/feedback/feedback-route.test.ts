import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { readConfig } from '../../../lambda/config';
import { requestModels } from '../../../lambda/model';
import { createPredictHandler } from '../../../lambda/predict';
import { discardingSink, MemorySink } from '../../../lambda/results';
import { loadEvent } from '../../helpers/events';

const logger = new Logger({ logLevel: 'SILENT' });
const feedbackEvent = () => loadEvent<APIGatewayProxyEvent>('feedback/api-gateway-feedback');

describe('POST /feedback through the predict handler', () => {
  // Importing the handler module starts its cold-start model load; let it finish before Jest
  // tears the environment down (these tests never score, so nothing else waits for it).
  afterAll(() => requestModels(readConfig({})).catch(() => undefined));

  it('answers 202 with one entry per item, and hands the good labels to the sink', async () => {
    const sink = new MemorySink();
    const handler = createPredictHandler({ config: readConfig({}), sink, logger });

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
    const handler = createPredictHandler({ config: readConfig({}), sink, logger });
    const event = { ...feedbackEvent(), body: '{"budget_id": "1"}' };

    const reply = (await handler(event)) as APIGatewayProxyResult;

    expect(reply.statusCode).toBe(400);
    expect(JSON.parse(reply.body)).toEqual({
      error: expect.objectContaining({ code: 'invalid_request', field: 'body' }),
    });
    expect(sink.labels).toEqual([]);
  });

  it('answers 405 for GET /feedback', async () => {
    const handler = createPredictHandler({ config: readConfig({}), sink: new MemorySink(), logger });

    const reply = (await handler({ ...feedbackEvent(), httpMethod: 'GET' })) as APIGatewayProxyResult;

    expect(reply.statusCode).toBe(405);
  });

  it('answers 503 feedback_unavailable where results are not recorded, rather than losing labels', async () => {
    const handler = createPredictHandler({ config: readConfig({}), sink: discardingSink, logger });

    const reply = (await handler(feedbackEvent())) as APIGatewayProxyResult;

    expect(reply.statusCode).toBe(503);
    expect(JSON.parse(reply.body)).toEqual({
      error: expect.objectContaining({ code: 'feedback_unavailable' }),
    });
  });

  it('answers 503 results_backlog when the sink cannot take the labels', async () => {
    const sink = new MemorySink();
    sink.recordLabels = () => false;
    const handler = createPredictHandler({ config: readConfig({}), sink, logger });

    const reply = (await handler(feedbackEvent())) as APIGatewayProxyResult;

    expect(reply.statusCode).toBe(503);
    expect(JSON.parse(reply.body)).toEqual({ error: expect.objectContaining({ code: 'results_backlog' }) });
  });
});
