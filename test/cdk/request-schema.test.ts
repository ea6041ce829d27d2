import Ajv from 'ajv-draft-04';
import { matcherRequestJsonSchema, toCdkJsonSchema } from '../../cdk/request-schema';
import { handler } from '../../lambda/predict';
import { EVENT_NAMES, loadEvent } from '../helpers/events';

/** The body API Gateway would validate: the proxy event's body, or the direct-invoke payload itself. */
function bodyOf(name: string): unknown {
  const event = loadEvent<Record<string, unknown>>(name);
  if (typeof event.body !== 'string') return event;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const validate = new Ajv({ strict: false }).compile(matcherRequestJsonSchema());

// Events that are not matcher requests at all, which the handler rejects as a whole (400).
const WHOLE_REQUEST_BAD = ['bad-api-gateway-neither-list', 'bad-body-not-json', 'bad-neither-list'];
// GET /health carries no body; the validator only sits on POST /budget_expense_matcher.
const NO_BODY = ['api-gateway-health'];

/** Whether the real handler rejects the event as a whole (HTTP 400 or an invoke error object). */
async function handlerRejects(name: string): Promise<boolean> {
  const reply = (await handler(loadEvent(name))) as { statusCode?: number; error?: unknown };
  return reply.statusCode === 400 || (reply.statusCode === undefined && reply.error !== undefined);
}

describe('the API request validator schema', () => {
  it('rejects exactly the events the handler rejects as a whole', async () => {
    const bodies = EVENT_NAMES.filter((n) => !NO_BODY.includes(n));

    const verdicts = await Promise.all(
      bodies.map(async (name) => ({
        name,
        validator: !validate(bodyOf(name)),
        handler: await handlerRejects(name),
      })),
    );

    for (const v of verdicts)
      expect({ name: v.name, rejects: v.validator }).toEqual({ name: v.name, rejects: v.handler });
    expect(
      verdicts
        .filter((v) => v.handler)
        .map((v) => v.name)
        .sort(),
    ).toEqual(WHOLE_REQUEST_BAD);
  });

  it.each(EVENT_NAMES.filter((n) => !WHOLE_REQUEST_BAD.includes(n) && !NO_BODY.includes(n)))(
    'accepts %s, good or bad only per item, so the handler answers it',
    (name) => {
      const ok = validate(bodyOf(name));

      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    },
  );

  it.each(WHOLE_REQUEST_BAD)('rejects %s, a request the handler rejects as a whole', (name) => {
    expect(validate(bodyOf(name))).toBe(false);
  });

  it('rejects lists that are not lists and a body that is not an object', () => {
    expect(validate({ budgets: {}, all_user_expense_lineitems: [] })).toBe(false);
    expect(validate({ budgets: [], all_user_expense_lineitems: 'x' })).toBe(false);
    expect(validate({ budgets: [] })).toBe(false);
    expect(validate([{ budgets: [], all_user_expense_lineitems: [] }])).toBe(false);
  });

  it('accepts extra fields, any list elements, and empty lists', () => {
    expect(
      validate({
        budgets: [null, 1, 'x', {}],
        all_user_expense_lineitems: [],
        user_id: 'u-1',
        extra: { a: 1 },
      }),
    ).toBe(true);
  });

  it('is JSON Schema draft 4, the only draft API Gateway reads', () => {
    expect(matcherRequestJsonSchema().$schema).toBe('http://json-schema.org/draft-04/schema#');
  });

  it('is handed to CDK with $-keys renamed the way CDK renders them back', () => {
    const cdk = toCdkJsonSchema(matcherRequestJsonSchema()) as Record<string, unknown>;

    expect(cdk.schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(cdk.$schema).toBeUndefined();
    expect(cdk.required).toEqual(['budgets', 'all_user_expense_lineitems']);
  });
});
