/** Lays rows out as a plain-text table with aligned columns (first row: headings). */
export function formatTable(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A number for a table: up to 6 decimals, no trailing zeros; `-` when absent. */
export function num(value: number | undefined): string {
  return value === undefined ? '-' : String(Math.round(value * 1e6) / 1e6);
}
