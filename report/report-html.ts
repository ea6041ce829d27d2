import { BUDGET_FIELDS, errorHeadline, ITEM_FIELDS, outcomeName } from './format-errors';
import { SHIFT_SETTINGS, shiftRows } from './format-shifts';
import { figure, tableRows } from './format-table';
import { thresholdRows, thresholdSummary } from './format-thresholds';
import type { ReportData } from './report-data';

/** What the HTML report is made of; the charts are SVG text, inlined. */
export interface ReportPage {
  readonly data: ReportData;
  /** Where the figures came from, for the reader (never a password). */
  readonly source: string;
  readonly generatedAt: Date;
  /** The smoothing and flagging settings, shown under the charts. */
  readonly settings: string;
  readonly qualitySvg?: string;
  readonly scoreSvg?: string;
  readonly thresholdSvg?: string;
  /** The precision the what-if looks for. */
  readonly targetPrecision: number;
}

/** The report as one self-contained HTML document: no scripts, styles or images fetched. */
export function reportHtml(page: ReportPage): string {
  const { data } = page;
  const { head, body } = tableRows(data.quality);
  const flagged = new Set(data.quality.filter((r) => r.precisionTrend.flag || r.recallTrend.flag));
  const rows = data.quality.map((r, i) => {
    const cells = (body[i] ?? []).map((c) => `<td>${escapeHtml(c)}</td>`).join('');
    return `<tr${flagged.has(r) ? ' class="flagged"' : ''}>${cells}</tr>`;
  });
  const section = (title: string, svg: string | undefined, empty: string, note: string) =>
    `<h2>${title}</h2>\n${svg ? `<figure>${svg}<figcaption>${note}</figcaption></figure>` : `<p class="empty">${empty}</p>`}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Budget/expense matcher: model quality ${data.from} to ${data.to}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
  table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
  th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #ddd; text-align: right; }
  th:nth-child(-n+3), td:nth-child(-n+3), th:last-child, td:last-child { text-align: left; }
  tr.flagged td { background: #fde8e8; }
  table.error { margin: 0.3rem 0 1.2rem; }
  table.error td, table.error th { text-align: left; }
  table.error td.name { color: #555; }
  h3.error { font-size: 1rem; font-weight: 600; margin-bottom: 0.2rem; }
  details { margin: 0.5rem 0 1rem; }
  figcaption, .meta { color: #555; font-size: 0.9rem; }
  .empty { font-style: italic; }
</style>
</head>
<body>
<h1>Model quality, ${data.from} to ${data.to}</h1>
<p class="meta">From ${escapeHtml(page.source)}, ${page.generatedAt.toISOString()}. ${escapeHtml(page.settings)}</p>
${section(
  'Precision and recall per model version',
  page.qualitySvg,
  'No labelled results in these days.',
  'Points: the daily value. Solid line: EWMA. Dashed: rolling median. Red circle: a day outside its trailing median ± k × MAD.',
)}
${section(
  'Score distribution per day',
  page.scoreSvg,
  'No scored results in these days.',
  'Each column is a day; each cell a score bucket, shaded by its share of the day’s scores (every scored row, labelled or not).',
)}
<h2>Robust trend and shifts</h2>
<p class="meta">${escapeHtml(SHIFT_SETTINGS)}</p>
${data.shifts.length === 0 ? '<p class="empty">No labelled results in these days.</p>' : htmlTable(shiftRows(data.shifts), (cells) => (cells[6] ? ' class="flagged"' : ''))}
${section(
  'Threshold what-if',
  page.thresholdSvg,
  'No labelled results in these days.',
  `Precision, recall and F1 each model version would have had on the labelled pairs of ${data.from} to ${data.to} at every threshold (a pair is a match when score ≥ threshold). Solid rule: the model’s own threshold; dashed: the threshold with the best F1.`,
)}
${
  data.curves.length === 0
    ? ''
    : `${htmlTable(thresholdSummary(data.curves, page.targetPrecision))}
<details><summary>Every threshold</summary>
${htmlTable(thresholdRows(data.curves))}
</details>`
}
<h2>False positives and false negatives</h2>
${errorSection(data)}
<h2>Daily figures</h2>
${
  data.quality.length === 0
    ? '<p class="empty">No labelled results in these days.</p>'
    : `<table>
<thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`
}
</body>
</html>
`;
}

function htmlTable(
  table: { head: readonly string[]; body: readonly (readonly string[])[] },
  rowClass: (cells: readonly string[]) => string = () => '',
): string {
  const head = table.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = table.body.map(
    (cells) => `<tr${rowClass(cells)}>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`,
  );
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>`;
}

/** The most confident mistakes, each with the budget and the line item side by side. */
function errorSection(data: ReportPage['data']): string {
  if (data.errors.length === 0)
    return '<p class="empty">No false positives or false negatives among the labelled pairs of these days.</p>';
  const intro = `<p class="meta">The most confident mistakes (largest |score − threshold|) of each model version, each pair at its latest score, as in the SQL view <code>pair_errors</code>. Fields come from the captured request; a request that was not captured shows none.</p>`;
  return `${intro}\n${data.errors
    .map((e) => {
      const title = `<h3 class="error">${escapeHtml(errorHeadline(e))}</h3>`;
      if (!e.captured) return `${title}\n<p class="empty">Request not captured: no fields to show.</p>`;
      const rows = Array.from({ length: Math.max(BUDGET_FIELDS.length, ITEM_FIELDS.length) }, (_, i) => {
        const b = BUDGET_FIELDS[i];
        const it = ITEM_FIELDS[i];
        const cell = (v: string | null | undefined) => escapeHtml(v ?? '—');
        return `<tr><td class="name">${b ? escapeHtml(b[0]) : ''}</td><td>${b ? cell(b[1](e.budget)) : ''}</td><td class="name">${it ? escapeHtml(it[0]) : ''}</td><td>${it ? cell(it[1](e.item)) : ''}</td></tr>`;
      });
      return `${title}\n<table class="error" aria-label="${escapeHtml(outcomeName(e.outcome))} ${escapeHtml(figure(e.score))}">
<thead><tr><th colspan="2">budget ${escapeHtml(e.budgetId)}</th><th colspan="2">line item ${escapeHtml(e.itemizationId)}</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
    })
    .join('\n')}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
