import type { APIGatewayProxyResult } from 'aws-lambda';
import { edgeHandler, httpOk } from '../../../lambda/edge';
import { InvalidRequestError } from '../../../lambda/errors';
import { loadEvent } from '../../helpers/events';
import { RecordingLogger } from '../../helpers/recording-logger';

/** An edge handler around `steps`, with its logger and how often it published metrics. */
function around(steps: Parameters<typeof edgeHandler>[1]) {
  const logger = new RecordingLogger();
  const published = { count: 0 };
  const handler = edgeHandler({ logger, metrics: { publish: () => published.count++ } }, steps);
  return { handler, logger, published };
}

describe('edgeHandler', () => {
  it('hands the steps the event as read and the invocation request id, and returns their reply', async () => {
    const seen: unknown[] = [];
    const { handler, published } = around(async (input, requestId) => {
      seen.push(input.kind, requestId);
      return httpOk({ ok: true });
    });

    const reply = (await handler(loadEvent('api-gateway-seed'), {
      awsRequestId: 'req-1',
    })) as APIGatewayProxyResult;

    expect(seen).toEqual(['http', 'req-1']);
    expect(reply.statusCode).toBe(200);
    expect(published.count).toBe(1);
  });

  it("answers a client's mistake with its status and code, logged once at info level", async () => {
    const { handler, logger, published } = around(async () => {
      throw new InvalidRequestError('missing_field', 'budgets is missing', 'budgets');
    });

    const reply = (await handler(loadEvent('api-gateway-seed'), {
      awsRequestId: 'req-2',
    })) as APIGatewayProxyResult;

    expect(reply.statusCode).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ error: { code: 'missing_field', field: 'budgets' } });
    expect(logger.lines).toEqual([
      {
        level: 'info',
        message: 'request rejected',
        fields: { code: 'missing_field', field: 'budgets', request_id: 'req-2' },
      },
    ]);
    expect(published.count).toBe(1);
  });

  it('answers anything else with 500 and no stack trace, logging the error itself', async () => {
    const failure = new TypeError('cannot read properties of undefined');
    const { handler, logger, published } = around(async () => {
      throw failure;
    });

    const reply = (await handler(loadEvent('api-gateway-seed'), {
      awsRequestId: 'req-3',
    })) as APIGatewayProxyResult;
    const invoked = await handler(loadEvent('seed-request'), { awsRequestId: 'req-4' });

    expect(reply.statusCode).toBe(500);
    expect(reply.body).not.toContain('cannot read properties');
    expect(reply.body).not.toContain('at ');
    expect(JSON.stringify(invoked)).not.toContain('cannot read properties');
    expect(logger.lines.map((l) => [l.level, l.message, l.fields.error])).toEqual([
      ['error', 'request failed', failure],
      ['error', 'request failed', failure],
    ]);
    expect(published.count).toBe(2);
  });
});
