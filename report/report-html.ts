import { tableRows } from './format-table';
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

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
