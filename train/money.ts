/** Rounds an amount to cents, as card statements and expense tools record it. */
export function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}
