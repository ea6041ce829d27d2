import { parseRequest } from '../../lambda/contract';
import { FEATURE_COUNT } from '../../lambda/features';
import { generatePairs } from '../../train/generate-pairs';
import { concatRows, pairRows } from '../../train/pair-rows';

describe('concatRows', () => {
  const a = pairRows(generatePairs({ seed: 21, users: 15 }));
  const b = pairRows(generatePairs({ seed: 22, users: 10 }));

  it('keeps every row of both sets in order, with its features, label, slice and kind', () => {
    const both = concatRows(a, b);

    expect(both.rows).toBe(a.rows + b.rows);
    expect(both.positives).toBe(a.positives + b.positives);
    expect(Array.from(both.features.subarray(0, a.rows * FEATURE_COUNT))).toEqual(Array.from(a.features));
    expect(Array.from(both.features.subarray(a.rows * FEATURE_COUNT))).toEqual(Array.from(b.features));
    expect(Array.from(both.labels)).toEqual([...a.labels, ...b.labels]);
    expect(both.slices).toEqual([...a.slices, ...b.slices]);
    expect(both.kinds).toEqual([...a.kinds, ...b.kinds]);
  });

  it("numbers the second set's items after the first's, so no item of one is an item of the other", () => {
    const both = concatRows(a, b);

    const first = new Set(both.items.subarray(0, a.rows));
    const second = new Set(both.items.subarray(a.rows));
    expect([...second].filter((i) => first.has(i))).toEqual([]);
    expect(second.size).toBe(new Set(b.items).size);
  });
});

describe('pairRows shapes', () => {
  it("give each request's usable budgets and line items, in order, covering every row", () => {
    const users = generatePairs({ seed: 23, users: 12 });

    const rows = pairRows(users);

    expect(rows.shapes).toEqual(
      users.map((u) => {
        const parsed = parseRequest(u.request);
        return {
          budgets: parsed.budgets.filter((b) => b.ok).length,
          items: parsed.items.filter((i) => i.ok).length,
        };
      }),
    );
    expect(rows.shapes.some((s) => s.budgets !== s.items)).toBe(true);
    expect(rows.shapes.reduce((n, s) => n + s.budgets * s.items, 0)).toBe(rows.rows);
  });

  it('are concatenated with their sets', () => {
    const a = pairRows(generatePairs({ seed: 21, users: 4 }));
    const b = pairRows(generatePairs({ seed: 22, users: 3 }));

    expect(concatRows(a, b).shapes).toEqual([...a.shapes, ...b.shapes]);
  });
});
