import { bodyOf, matchRequestOf, readEvent } from '../../../lambda/edge';
import { loadEvent } from '../../helpers/events';

describe('readEvent and bodyOf: base64 bodies', () => {
  it('decodes a base64 body that is UTF-8', () => {
    const event = loadEvent('api-gateway-seed-base64');

    const input = readEvent(event);

    expect(JSON.parse(bodyOf(input))).toHaveProperty('budgets');
  });

  it('refuses a base64 body whose bytes are not UTF-8 with 400 invalid_utf8, instead of decoding them lossily', () => {
    const event = loadEvent('api-gateway-seed-base64');
    const raw = Buffer.concat([
      Buffer.from('{"budgets":[{"budget_id":"'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('"}]}'),
    ]);
    event.body = raw.toString('base64');

    const input = readEvent(event);

    expect(() => bodyOf(input)).toThrow(expect.objectContaining({ code: 'invalid_utf8', field: 'body' }));
    expect(() => matchRequestOf(input)).toThrow(expect.objectContaining({ code: 'invalid_utf8' }));
  });
});
