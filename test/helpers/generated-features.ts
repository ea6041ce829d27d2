import { parseRequest } from '../../lambda/contract';
import { Normaliser, pairFeatures } from '../../lambda/features';
import { generatePairs } from '../../train/generate-pairs';

/** The pair feature matrices of `users` generated users' requests (one request a user), as the handler builds them. */
export function generatedRequests(
  users: number,
  seed = 4242,
): Array<{ matrix: Float32Array; budgets: number; items: number }> {
  return [...generatePairs({ seed, users })].map((user) => {
    const parsed = parseRequest(user.request);
    const n = new Normaliser();
    const budgets = parsed.budgets.flatMap((b) => (b.ok ? [n.budget(b.value)] : []));
    const items = parsed.items.flatMap((i) => (i.ok ? [n.item(i.value)] : []));
    return { matrix: pairFeatures(budgets, items), budgets: budgets.length, items: items.length };
  });
}

/** The largest absolute difference between two score arrays of the same length. */
export function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}
