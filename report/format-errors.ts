import type { CapturedBudget, CapturedItem, PairError } from '../lambda/monitoring';
import { figure } from './format-table';

/** The budget's fields, as labelled rows. */
export const BUDGET_FIELDS: readonly (readonly [string, (b: CapturedBudget) => string | null])[] = [
  ['type', (b) => b.type],
  ['price', (b) => b.price],
  ['actual cost', (b) => b.actualCost],
  ['travel vendor', (b) => b.travelVendor],
  ['purchase vendor', (b) => b.purchaseVendor],
  ['booked', (b) => b.generatedAt],
  ['trip start', (b) => b.tripStart],
  ['trip end', (b) => b.tripEnd],
];

/** The line item's fields, as labelled rows. */
export const ITEM_FIELDS: readonly (readonly [string, (i: CapturedItem) => string | null])[] = [
  ['amount', (i) => i.amount],
  ['date', (i) => i.date],
  ['vendor', (i) => i.vendor],
  ['type', (i) => i.type],
  ['category', (i) => i.category],
  ['expense type', (i) => i.expenseType],
  ['expense category', (i) => i.expenseCategory],
];

/** `false positive` / `false negative`. */
export function outcomeName(outcome: PairError['outcome']): string {
  return outcome === 'fp' ? 'false positive' : 'false negative';
}

/** One line saying what was wrong: kind, version, score against threshold, day, pair, request. */
export function errorHeadline(e: PairError): string {
  const relation = e.outcome === 'fp' ? '≥' : '<';
  return `${outcomeName(e.outcome)}  ${e.modelVersion} (${e.role})  score ${figure(e.score)} ${relation} ${figure(e.threshold)}  ${e.day}  budget ${e.budgetId} × item ${e.itemizationId}  request ${e.requestId}  label ${e.labelSource}`;
}

/**
 * The errors for a terminal: a headline each, then the budget's and the line item's fields side by
 * side (or why they are missing).
 */
export function formatErrors(errors: readonly PairError[]): string {
  if (errors.length === 0)
    return 'No false positives or false negatives among the labelled pairs of these days.';
  const blocks = errors.map((e) => {
    const head = errorHeadline(e);
    if (!e.captured)
      return `${head}\n    (request not captured: no fields to show; see docs/results-and-monitoring.md, captures)`;
    const left = BUDGET_FIELDS.map(([name, get]) => `${name.padEnd(16)} ${get(e.budget) ?? '—'}`);
    const right = ITEM_FIELDS.map(([name, get]) => `${name.padEnd(16)} ${get(e.item) ?? '—'}`);
    const width = Math.max(24, ...left.map((l) => l.length)) + 4;
    const lines = [`${'budget'.padEnd(width)}line item`];
    for (let i = 0; i < Math.max(left.length, right.length); i++)
      lines.push(`${(left[i] ?? '').padEnd(width)}${right[i] ?? ''}`.trimEnd());
    return `${head}\n${lines.map((l) => `    ${l}`).join('\n')}`;
  });
  return blocks.join('\n\n');
}
