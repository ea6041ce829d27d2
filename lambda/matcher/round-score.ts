/** A score as the reply carries it: six decimals keep replies short; float32 carries about seven significant digits anyway. */
export function roundScore(p: number): number {
  return Math.round(p * 1e6) / 1e6;
}
