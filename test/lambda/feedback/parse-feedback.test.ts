import { statusOf } from '../../../lambda/edge';
import { acceptFeedback, MAX_FEEDBACK_ITEMS, parseFeedback } from '../../../lambda/feedback';

const LIMIT = 6 * 1024 * 1024;

describe('parseFeedback', () => {
  it('reads ids given as strings or safe integers and returns them as strings', () => {
    const parsed = parseFeedback(
      '[{"budget_id": 309366, "itemization_id": " 4659496 ", "match": true}]',
      LIMIT,
    );

    expect(parsed).toEqual([
      { ok: true, index: 0, value: { budget_id: '309366', itemization_id: '4659496', match: true } },
    ]);
  });

  it.each([
    [{ itemization_id: 'i', match: true }, 'missing_id', '[0].budget_id'],
    [{ budget_id: '', itemization_id: 'i', match: true }, 'invalid_id', '[0].budget_id'],
    [{ budget_id: 2 ** 60, itemization_id: 'i', match: true }, 'invalid_id', '[0].budget_id'],
    [{ budget_id: 'b', itemization_id: {}, match: true }, 'invalid_id', '[0].itemization_id'],
    [{ budget_id: 'b', itemization_id: 'i' }, 'missing_field', '[0].match'],
    [{ budget_id: 'b', itemization_id: 'i', match: 'true' }, 'invalid_field', '[0].match'],
    ['a string', 'invalid_entry', '[0]'],
  ])('reports %j as its own error (%s at %s)', (item, code, field) => {
    const [parsed] = parseFeedback(JSON.stringify([item]), LIMIT);

    expect(parsed).toEqual({ ok: false, index: 0, error: expect.objectContaining({ code, field }) });
  });

  it.each([
    ['[{', 'invalid_json'],
    ['{"budget_id": "b", "itemization_id": "i", "match": true}', 'invalid_request'],
    ['null', 'invalid_request'],
  ])('fails as a whole (400) for %s', (body, code) => {
    const error = thrownBy(() => parseFeedback(body, LIMIT));

    expect(error).toMatchObject({ code });
    expect(statusOf(error)).toBe(400);
  });

  it('fails as a whole (413) over the item or byte limit', () => {
    const many = JSON.stringify(
      Array(MAX_FEEDBACK_ITEMS + 1).fill({ budget_id: 'b', itemization_id: 'i', match: true }),
    );

    expect(thrownBy(() => parseFeedback(many, LIMIT))).toMatchObject({ code: 'too_many_labels' });
    expect(statusOf(thrownBy(() => parseFeedback(many, LIMIT)))).toBe(413);
    expect(() => parseFeedback('[]'.padEnd(100, ' '), 50)).toThrow(
      expect.objectContaining({ code: 'payload_too_large' }),
    );
  });
});

describe('acceptFeedback', () => {
  it('makes a label of each good item and one reply entry per item, in order', () => {
    const now = new Date('2026-11-23T12:00:00.000Z');
    const parsed = parseFeedback(
      '[{"budget_id":"b1","itemization_id":"i1","match":true},{"budget_id":"b1"},{"budget_id":"b2","itemization_id":"i2","match":false}]',
      LIMIT,
    );

    const { labels, entries } = acceptFeedback(parsed, 'api', now);

    expect(labels).toEqual([
      {
        budget_id: 'b1',
        itemization_id: 'i1',
        is_match: true,
        labelled_at: now.toISOString(),
        source: 'api',
      },
      {
        budget_id: 'b2',
        itemization_id: 'i2',
        is_match: false,
        labelled_at: now.toISOString(),
        source: 'api',
      },
    ]);
    expect(entries).toEqual([
      { budget_id: 'b1', itemization_id: 'i1', accepted: true },
      {
        index: 1,
        accepted: false,
        error: expect.objectContaining({ code: 'missing_id', field: '[1].itemization_id' }),
      },
      { budget_id: 'b2', itemization_id: 'i2', accepted: true },
    ]);
  });
});

function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
