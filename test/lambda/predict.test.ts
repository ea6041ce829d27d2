import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyResult } from 'aws-lambda';
import fc from 'fast-check';
import { type ErrorReply, parseRequest, type ReplyEntry, type ScoredEntry } from '../../lambda/contract';
import { MAX_TEXT_CHARS } from '../../lambda/contract/values';
import { normaliseBudget } from '../../lambda/features';
import { handler } from '../../lambda/predict';
import { EVENT_NAMES, loadEvent, loadRequest } from '../helpers/events';

const invoke = (payload: unknown) => handler(payload) as Promise<ReplyEntry[] | ErrorReply>;
const viaApi = (event: unknown) => handler(event) as Promise<APIGatewayProxyResult>;
const scoreOf = (reply: ReplyEntry[], budget: string, item: string) =>
  (reply.find((e) => e.budget_id === budget && e.itemization_id === item) as ScoredEntry | undefined)?.score;

describe('predict handler', () => {
  describe('the seed request (docs/contract.md)', () => {
    it('scores the taxi low for the flight budget, through direct invoke', async () => {
      const reply = await invoke(loadRequest('seed-request'));

      expect(reply).toEqual([
        { budget_id: '309366', itemization_id: '4659496', score: expect.any(Number), match: false },
      ]);
      expect(scoreOf(reply as ReplyEntry[], '309366', '4659496')).toBeLessThan(0.1);
    });

    it('gives the same reply through API Gateway REST, base64 REST, HTTP API and direct invoke', async () => {
      const direct = await invoke(loadRequest('seed-request'));

      const replies = await Promise.all(
        ['api-gateway-seed', 'api-gateway-seed-base64', 'http-api-seed'].map((name) =>
          viaApi(loadEvent(name)),
        ),
      );

      for (const reply of replies) {
        expect(reply.statusCode).toBe(200);
        expect(reply.headers?.['content-type']).toBe('application/json');
        expect(reply.headers?.['x-model-version']).toEqual(expect.any(String));
        expect(JSON.parse(reply.body)).toEqual(direct);
      }
    });

    it('accepts a payload that was JSON-encoded twice', async () => {
      const reply = await invoke(JSON.stringify(loadRequest('seed-request')));

      expect(reply).toEqual(await invoke(loadRequest('seed-request')));
    });
  });

  describe('a whole trip in one call', () => {
    it('scores each booking charge high against its own budget only', async () => {
      const reply = (await invoke(loadRequest('direct-invoke-trip'))) as ReplyEntry[];

      const truth: Record<string, string> = { '4659497': '309366', '4659498': '309367', '4659499': '309368' };
      for (const entry of reply as ScoredEntry[]) {
        const isMatch = truth[entry.itemization_id] === entry.budget_id;
        if (isMatch) expect({ ...entry, score: entry.score > 0.8 }).toEqual({ ...entry, score: true });
        else expect({ ...entry, score: entry.score < 0.3 }).toEqual({ ...entry, score: true });
      }
    });

    it('leaves every good score unchanged when a bad item is added among the good ones', async () => {
      const request = loadRequest('direct-invoke-trip');
      const withBadItem = loadRequest('direct-invoke-trip');
      withBadItem.all_user_expense_lineitems.splice(2, 0, {
        itemization_id: null,
        expensed_amount_itemization: 'x',
      });
      withBadItem.all_user_expense_lineitems.splice(4, 0, {
        itemization_id: '999',
        expensed_amount_itemization: {},
      });

      const clean = (await invoke(request)) as ReplyEntry[];
      const mixed = (await invoke(withBadItem)) as ReplyEntry[];

      const withoutAdded = mixed.filter((e) => e.itemization_id !== '999' && e.score !== null);
      expect(withoutAdded).toEqual(clean);
      expect(mixed.filter((e) => e.score === null)).toEqual([
        expect.objectContaining({
          itemization_index: 2,
          error: expect.objectContaining({ code: 'missing_id' }),
        }),
      ]);
      expect(mixed.filter((e) => e.itemization_id === '999')).toHaveLength(3);
    });
    it('keeps the good scores for any bad items inserted anywhere (property)', async () => {
      const clean = (await invoke(loadRequest('direct-invoke-trip'))) as ReplyEntry[];
      const badItem = fc.oneof(
        fc.record({
          itemization_id: fc.constantFrom(null, '', '  ', {}, [], true),
          vendor_name_expense: fc.anything(),
        }),
        fc.record({ expensed_amount_itemization: fc.anything() }),
        fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.anything(), { maxLength: 2 })),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.nat(6), badItem), { minLength: 1, maxLength: 4 }),
          async (inserts) => {
            const request = loadRequest('direct-invoke-trip');
            for (const [at, bad] of inserts)
              (request.all_user_expense_lineitems as unknown[]).splice(at, 0, bad);

            const reply = (await invoke(request)) as ReplyEntry[];

            expect(reply.filter((e) => e.score !== null)).toEqual(clean);
            expect(reply.filter((e) => e.score === null)).toHaveLength(inserts.length);
          },
        ),
        { numRuns: 100 },
      );
    });
  });

  describe('hostile sizes', () => {
    it('answers vendor strings of a megabyte each (text is cut before features see it)', async () => {
      const request = loadRequest('seed-request');
      // 100,000 distinct letter-only words: every one is a vendor token unless the text is cut.
      const word = (i: number) =>
        `w${i.toString(26).replace(/\d/g, (d) => String.fromCharCode(103 + Number(d)))}`;
      const huge = `SOUTHWEST ${Array.from({ length: 100_000 }, (_, i) => word(i)).join(' ')}`;
      (request.budgets[0] as Record<string, unknown>).travel_vendor_receipts = huge;
      (request.all_user_expense_lineitems[0] as Record<string, unknown>).vendor_name_expense = huge;

      const parsed = parseRequest(request);
      const reply = (await invoke(request)) as ReplyEntry[];

      const budget = parsed.budgets[0]?.ok ? normaliseBudget(parsed.budgets[0].value) : undefined;
      expect(budget?.vendors[0]?.tokens.length).toBeLessThanOrEqual(MAX_TEXT_CHARS / 2);
      expect(reply).toEqual([expect.objectContaining({ budget_id: '309366', score: expect.any(Number) })]);
    });
  });

  describe('messy values never fail the request', () => {
    it.each([
      'bad-nulls-everywhere',
      'bad-strings-for-numbers',
      'bad-wrong-types',
      'bad-unknown-budget-type',
    ])('%s: every pair gets a score in [0, 1]', async (name) => {
      const reply = (await invoke(loadRequest(name))) as ReplyEntry[];

      expect(reply).toHaveLength(1);
      const [entry] = reply as ScoredEntry[];
      expect(entry?.budget_id).toBe('309366');
      expect(entry?.itemization_id).toBe('4659496');
      expect(entry?.score).toBeGreaterThanOrEqual(0);
      expect(entry?.score).toBeLessThanOrEqual(1);
    });
  });

  describe('whole-request errors', () => {
    it('answers a body that is not JSON with 400 naming the body', async () => {
      const reply = await viaApi(loadEvent('bad-body-not-json'));

      expect(reply.statusCode).toBe(400);
      expect(reply.headers?.['content-type']).toBe('application/json');
      expect(JSON.parse(reply.body)).toEqual({
        error: expect.objectContaining({ code: 'invalid_json', field: 'body' }),
      });
    });

    it('answers an object with neither list with 400 through API Gateway and an error object through invoke', async () => {
      const api = await viaApi(loadEvent('bad-api-gateway-neither-list'));
      const direct = await invoke(loadEvent('bad-neither-list'));

      expect(api.statusCode).toBe(400);
      expect(JSON.parse(api.body)).toEqual({
        error: expect.objectContaining({ code: 'not_a_matcher_request' }),
      });
      expect(direct).toEqual({
        error: expect.objectContaining({ code: 'not_a_matcher_request', field: 'budgets' }),
      });
    });

    it('answers a body over the size limit with 413', async () => {
      const event = loadEvent<APIGatewayProxyEvent>('api-gateway-seed');
      event.body = JSON.stringify({ ...loadRequest('seed-request'), padding: 'x'.repeat(6 * 1024 * 1024) });

      const reply = await viaApi(event);

      expect(reply.statusCode).toBe(413);
      expect(JSON.parse(reply.body)).toEqual({
        error: expect.objectContaining({ code: 'payload_too_large', field: 'body' }),
      });
    });

    it('answers more pairs than the limit with 413 through API Gateway', async () => {
      const event = loadEvent<APIGatewayProxyEvent>('api-gateway-seed');
      const request = loadRequest('seed-request');
      const item = request.all_user_expense_lineitems[0];
      request.budgets = Array.from({ length: 400 }, (_, i) => ({ ...request.budgets[0], budget_id: i }));
      request.all_user_expense_lineitems = Array.from({ length: 300 }, (_, i) => ({
        ...item,
        itemization_id: i,
      }));
      event.body = JSON.stringify(request);

      const reply = await viaApi(event);

      expect(reply.statusCode).toBe(413);
      expect(JSON.parse(reply.body).error.code).toBe('too_many_pairs');
    });

    it('counts error entries against the limit: a million empty budgets is 413, not a 136 MB reply', async () => {
      const request = {
        budgets: Array.from({ length: 1_000_000 }, () => ({})),
        all_user_expense_lineitems: [],
      };

      const reply = await invoke(request);

      expect(reply).toEqual({ error: expect.objectContaining({ code: 'too_many_pairs', field: 'budgets' }) });
    });

    it('answers 413 reply_too_large, through API Gateway and invoke, when the reply would pass 6 MB', async () => {
      const request = loadRequest('seed-request');
      const longId = (prefix: string, i: number) => `${prefix}${i}`.padEnd(256, 'x');
      request.budgets = Array.from({ length: 120 }, (_, i) => ({
        ...request.budgets[0],
        budget_id: longId('b', i),
      }));
      request.all_user_expense_lineitems = Array.from({ length: 120 }, (_, i) => ({
        ...request.all_user_expense_lineitems[0],
        itemization_id: longId('i', i),
      }));
      const event = loadEvent<APIGatewayProxyEvent>('api-gateway-seed');
      event.body = JSON.stringify(request);

      const api = await viaApi(event);
      const direct = await invoke(request);

      expect(api.statusCode).toBe(413);
      expect(JSON.parse(api.body)).toEqual({ error: expect.objectContaining({ code: 'reply_too_large' }) });
      expect(direct).toEqual({ error: expect.objectContaining({ code: 'reply_too_large' }) });
    });

    it('answers an unknown path with 404 and a wrong method with 405', async () => {
      const unknown = loadEvent<APIGatewayProxyEvent>('api-gateway-seed');
      unknown.path = '/predict';
      const wrongMethod = loadEvent<APIGatewayProxyEvent>('api-gateway-seed');
      wrongMethod.httpMethod = 'GET';

      expect((await viaApi(unknown)).statusCode).toBe(404);
      expect((await viaApi(wrongMethod)).statusCode).toBe(405);
    });

    it('answers an event whose path is not a string with 404, not 500', async () => {
      const rest = { ...loadEvent<APIGatewayProxyEvent>('api-gateway-seed'), path: 123 };
      const httpApi = loadEvent<APIGatewayProxyEventV2>('http-api-seed');
      Object.assign(httpApi, { rawPath: 5 });
      Object.assign(httpApi.requestContext.http, { path: ['/budget_expense_matcher'] });

      expect((await viaApi(rest)).statusCode).toBe(404);
      expect((await viaApi(httpApi)).statusCode).toBe(404);
    });

    it('reads repeated slashes in the path as one', async () => {
      const event = loadEvent<APIGatewayProxyEvent>('api-gateway-seed');
      event.path = '//budget_expense_matcher/';

      expect((await viaApi(event)).statusCode).toBe(200);
    });

    it('reaches the routes under a stage prefix', async () => {
      const event = loadEvent<APIGatewayProxyEventV2>('http-api-seed');
      event.rawPath = '/prod/budget_expense_matcher';

      expect((await viaApi(event)).statusCode).toBe(200);
    });
  });

  describe('GET /health', () => {
    it('reports the model version and what scores it: the dense pass, TF.js not loaded', async () => {
      const reply = await viaApi(loadEvent('api-gateway-health'));

      expect(reply.statusCode).toBe(200);
      expect(JSON.parse(reply.body)).toEqual(
        expect.objectContaining({
          status: 'ok',
          model_version: expect.any(String),
          engine: 'dense',
          backend: null,
        }),
      );
    });
  });

  describe('nothing a client sends crashes it', () => {
    it('answers every sample event without throwing and without a 5xx', async () => {
      for (const name of EVENT_NAMES) {
        const reply = (await handler(loadEvent(name))) as { statusCode?: number };
        expect({ name, status: reply.statusCode ?? 200 }).toEqual({ name, status: expect.any(Number) });
        expect(reply.statusCode ?? 200).toBeLessThan(500);
      }
    });

    it('answers arbitrary payloads and bodies with a reply, never a throw or a 5xx', async () => {
      const template = loadEvent<APIGatewayProxyEvent>('api-gateway-seed');
      await fc.assert(
        fc.asyncProperty(fc.anything(), fc.string(), async (payload, body) => {
          const direct = (await handler(payload)) as unknown;
          const api = (await handler({ ...template, body })) as APIGatewayProxyResult;
          expect(
            Array.isArray(direct) || (typeof direct === 'object' && direct !== null && 'error' in direct),
          ).toBe(true);
          expect([200, 400, 413]).toContain(api.statusCode);
        }),
        { numRuns: 200 },
      );
    });

    it('answers arbitrary budgets and items with one entry each and scores in [0, 1]', async () => {
      const field = fc.oneof(
        fc.anything(),
        fc.string(),
        fc.double(),
        fc.constantFrom('2017-04-08', 'flight', '140.0'),
      );
      const budget = fc.record({
        budget_id: fc.oneof(fc.string(), fc.integer()),
        budget_type_budget: field,
        actual_cost_budget: field,
        travel_vendor_receipts: field,
        generated_at_budget: field,
      });
      const item = fc.record({
        itemization_id: fc.oneof(fc.string(), fc.integer()),
        expensed_amount_itemization: field,
        vendor_name_expense: field,
        transaction_date_itemization: field,
        expense_category_itemization: field,
      });
      await fc.assert(
        fc.asyncProperty(
          fc.array(budget, { maxLength: 4 }),
          fc.array(item, { maxLength: 4 }),
          async (budgets, items) => {
            const reply = (await invoke({ budgets, all_user_expense_lineitems: items })) as ReplyEntry[];
            for (const entry of reply) {
              if (entry.score === null) continue;
              expect(entry.score).toBeGreaterThanOrEqual(0);
              expect(entry.score).toBeLessThanOrEqual(1);
            }
          },
        ),
        { numRuns: 100 },
      );
    });
  });
});
