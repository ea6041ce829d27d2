import { parseRequest } from '../../lambda/contract';
import { FEATURE_COUNT } from '../../lambda/features';
import { TRAINING_RANDOMISATION } from '../../train/domain-randomisation';
import { BUDGET_TYPE_GROUPS, SLICE_NAMES } from '../../train/eval-config';
import { generatePairs, type UserPairs } from '../../train/generate-pairs';
import { pairRows } from '../../train/pair-rows';
import { BRANDS } from '../../train/vendors';

type Row = Record<string, unknown>;

const items = (user: UserPairs) => user.request.all_user_expense_lineitems as Row[];
const budgets = (user: UserPairs) => user.request.budgets as Row[];
const allValues = (users: readonly UserPairs[], field: string, of: (u: UserPairs) => Row[]) =>
  users.flatMap((u) => of(u).map((row) => row[field]));

describe('generatePairs', () => {
  const users = generatePairs({ seed: 11, users: 200 });

  it('generates the same data for the same seed, and other data for another', () => {
    const again = generatePairs({ seed: 11, users: 200 });
    const other = generatePairs({ seed: 12, users: 200 });

    expect(JSON.stringify(again)).toBe(JSON.stringify(users));
    expect(again.map((u) => Array.from(u.labels))).toEqual(users.map((u) => Array.from(u.labels)));
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(users));
  });

  it('gives user n the same data however many users are generated', () => {
    const fewer = generatePairs({ seed: 11, users: 20 });

    expect(JSON.stringify(fewer)).toBe(JSON.stringify(users.slice(0, 20)));
  });

  it('labels every booking charge a match with exactly its own budget, and nothing else a match', () => {
    let charges = 0;
    for (const user of users) {
      const b = budgets(user).length;
      const n = items(user).length;
      expect(user.labels).toHaveLength(b * n);
      for (let i = 0; i < n; i++) {
        const column = Array.from({ length: b }, (_, j) => user.labels[j * n + i]);
        const own = user.itemBudgets[i] ?? -1;
        if (user.itemKinds[i] === 'booking-charge') {
          charges++;
          expect(own).toBeGreaterThanOrEqual(0);
          expect(column.filter((l) => l === 1)).toHaveLength(1);
          expect(column[own]).toBe(1);
        } else {
          expect(own).toBe(-1);
          expect(column.every((l) => l === 0)).toBe(true);
        }
      }
      // A booking has at most one charge, or two parts of a split charge (amount-drift slice).
      for (let j = 0; j < b; j++) {
        const matches = user.labels.subarray(j * n, (j + 1) * n).reduce((s, l) => s + l, 0);
        expect(matches).toBeLessThanOrEqual(user.budgetSlices[j] === 'amount_drift' ? 2 : 1);
      }
    }
    expect(charges).toBeGreaterThan(300);
  });

  it('charges about what the booking cost, and refunds are negative non-matches', () => {
    let compared = 0;
    for (const user of users) {
      const parsed = parseRequest(user.request);
      user.itemKinds.forEach((kind, i) => {
        const item = parsed.items[i];
        const budget = parsed.budgets[user.itemBudgets[i] ?? -1];
        if (kind === 'refund' && item?.ok && item.value.expensed_amount_itemization !== undefined) {
          expect(item.value.expensed_amount_itemization).toBeLessThan(0);
        }
        if (kind !== 'booking-charge' || !item?.ok || !budget?.ok) return;
        const amount = item.value.expensed_amount_itemization;
        const cost = budget.value.actual_cost_budget;
        if (amount === undefined || cost === undefined) return;
        compared++;
        // Parts of a split charge are about half each; anything else within the drift's reach.
        const split = user.itemBudgets.filter((b) => b === user.itemBudgets[i]).length === 2;
        expect(amount / cost).toBeGreaterThan(split ? 0.3 : 0.75);
        expect(amount / cost).toBeLessThan(split ? 0.7 : 1.35);
      });
    }
    expect(compared).toBeGreaterThan(200);
  });

  it('draws every slice of the frozen evaluation and every budget-type group', () => {
    const slices = new Set(users.flatMap((u) => u.budgetSlices));
    const groups = new Set(users.flatMap((u) => u.budgetGroups));

    expect([...slices].sort()).toEqual([...SLICE_NAMES].sort());
    expect([...groups].sort()).toEqual([...BUDGET_TYPE_GROUPS].sort());
  });

  it('includes the hard negatives the contract names', () => {
    const kinds = new Set(users.flatMap((u) => u.itemKinds));

    for (const kind of [
      'taxi',
      'meals',
      'parking',
      'airline-fee',
      'refund',
      'look-alike',
      'untracked-booking',
      'hotel-incidental',
    ]) {
      expect(kinds).toContain(kind);
    }
  });

  it('sends values the messy ways real clients do', () => {
    const amounts = allValues(users, 'expensed_amount_itemization', items);
    const ids = allValues(users, 'itemization_id', items);
    const dates = allValues(users, 'transaction_date_itemization', items).filter(
      (d) => typeof d === 'string',
    );
    const bookedAt = allValues(users, 'generated_at_budget', budgets).filter((d) => typeof d === 'string');
    const types = new Set(allValues(users, 'budget_type_budget', budgets));
    const vendors = allValues(users, 'vendor_name_expense', items);
    const rows = users.flatMap((u) => [...items(u), ...budgets(u)]);

    expect(amounts.some((a) => typeof a === 'number')).toBe(true);
    expect(amounts.some((a) => typeof a === 'string' && /^-?\d+\.\d+$/.test(a))).toBe(true);
    expect(ids.some((id) => typeof id === 'number')).toBe(true);
    expect(ids.some((id) => typeof id === 'string')).toBe(true);
    expect(vendors).toContain(null);
    expect(vendors).toContain('');
    expect(rows.some((row) => !('vendor_name_expense' in row) && 'itemization_id' in row)).toBe(true);
    expect(
      rows.some((row) =>
        Object.values(row).some((v) => typeof v === 'boolean' || (typeof v === 'object' && v !== null)),
      ),
    ).toBe(true);
    // The three date formats of the contract.
    expect(dates.some((d) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(d as string))).toBe(true);
    expect(dates.some((d) => /^\d{4}-\d{2}-\d{2}$/.test(d as string))).toBe(true);
    expect(bookedAt.some((d) => /T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(d as string))).toBe(true);
    expect(bookedAt.some((d) => /T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/.test(d as string))).toBe(true);
    // Budget types in mixed case, and types outside the four known ones.
    for (const type of ['flight', 'Flight', 'FLIGHT', 'hotel', 'HOTEL', 'car', 'rail'])
      expect(types).toContain(type);
    expect(
      [...types].some(
        (t) => typeof t === 'string' && ['bus', 'event', 'Conference', 'ferry', 'other'].includes(t),
      ),
    ).toBe(true);
  });

  it('only ever uses held-out brands in the unseen-vendor set, and never in the training set', () => {
    const heldOut = new Set(BRANDS.filter((b) => b.heldOut).flatMap((b) => [b.name, ...b.alsoBookedAs]));
    const training = new Set(BRANDS.filter((b) => !b.heldOut).flatMap((b) => [b.name, ...b.alsoBookedAs]));
    const unseen = generatePairs({ seed: 11, users: 100, vendorSet: 'held-out' });
    const named = (set: readonly UserPairs[]) =>
      allValues(set, 'travel_vendor_receipts', budgets).filter(
        (v): v is string => typeof v === 'string' && v.trim() !== '',
      );

    const unseenNames = named(unseen).map((v) => v.trim());
    const trainingNames = named(users).map((v) => v.trim());

    expect(unseenNames.length).toBeGreaterThan(100);
    expect(unseenNames.every((v) => heldOut.has(v))).toBe(true);
    expect(trainingNames.every((v) => training.has(v))).toBe(true);
  });

  it('turns into feature rows through the serving parser, dropping entries without an id', () => {
    const rows = pairRows(users);
    const expected = users.reduce((sum, u) => {
      const parsed = parseRequest(u.request);
      return sum + parsed.budgets.filter((b) => b.ok).length * parsed.items.filter((i) => i.ok).length;
    }, 0);

    expect(rows.rows).toBe(expected);
    expect(rows.features).toHaveLength(expected * FEATURE_COUNT);
    expect(rows.positives).toBeGreaterThan(0);
    // Matches are a few percent of pairs, as in a user's real cross product.
    expect(rows.positives / rows.rows).toBeGreaterThan(0.01);
    expect(rows.positives / rows.rows).toBeLessThan(0.1);
  });
});

describe('generatePairs with domain randomisation', () => {
  it('leaves a user drawn without randomisation as it was, and changes the randomised ones', () => {
    const plain = generatePairs({ seed: 11, users: 40 });
    const randomised = generatePairs({ seed: 11, users: 40, randomisation: TRAINING_RANDOMISATION });
    const again = generatePairs({ seed: 11, users: 40, randomisation: TRAINING_RANDOMISATION });

    expect(JSON.stringify(again)).toBe(JSON.stringify(randomised));
    expect(JSON.stringify(randomised)).not.toBe(JSON.stringify(plain));
    expect(randomised.map((u) => u.user)).toEqual(plain.map((u) => u.user));
  });

  it('generates chosen users by number exactly as among all of them', () => {
    const all = generatePairs({ seed: 11, users: 40, randomisation: TRAINING_RANDOMISATION });

    const some = generatePairs({
      seed: 11,
      users: 40,
      randomisation: TRAINING_RANDOMISATION,
      userNumbers: [3, 17, 39],
    });

    expect(JSON.stringify(some)).toBe(JSON.stringify([all[3], all[17], all[39]]));
  });
});
