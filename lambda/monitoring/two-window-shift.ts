import { median, normalTail } from './robust-statistics';

/** A comparison of the recent values with the ones just before. */
export interface WindowShift {
  /** median(recent) − median(reference). */
  readonly shift: number;
  /** Mann–Whitney z of recent against reference (negative: recent lower). */
  readonly z: number;
  /** Two-sided p-value of "same distribution". */
  readonly pValue: number;
  readonly recent: number;
  readonly reference: number;
}

/**
 * A two-window test for a shift in level: the recent values against the reference values before
 * them, by the Mann–Whitney rank-sum test (normal approximation, mid-ranks for ties). Ranks make
 * it robust: one wild day cannot make a shift, and its false-alarm rate does not depend on how
 * the daily values are distributed. The size of the shift is the difference of the two medians.
 * `undefined` when either window is empty.
 */
export function twoWindowShift(
  recent: readonly number[],
  reference: readonly number[],
): WindowShift | undefined {
  const m = recent.length;
  const r = reference.length;
  if (m === 0 || r === 0) return undefined;
  const all = [
    ...recent.map((v) => ({ v, recent: true })),
    ...reference.map((v) => ({ v, recent: false })),
  ].sort((a, b) => a.v - b.v);
  let rankSum = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && (all[j + 1] as { v: number }).v === (all[i] as { v: number }).v) j++;
    const midRank = (i + j) / 2 + 1;
    const ties = j - i + 1;
    tieTerm += ties ** 3 - ties;
    for (let k = i; k <= j; k++) if ((all[k] as { recent: boolean }).recent) rankSum += midRank;
    i = j + 1;
  }
  const n = m + r;
  const u = rankSum - (m * (m + 1)) / 2;
  const mean = (m * r) / 2;
  const variance = ((m * r) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const z = variance > 0 ? (u - mean) / Math.sqrt(variance) : 0;
  return {
    shift: median(recent) - median(reference),
    z,
    pValue: Math.min(1, 2 * normalTail(Math.abs(z))),
    recent: m,
    reference: r,
  };
}
