import type { Queryable } from '../lambda/db';
import { formatErrors } from './format-errors';
import { formatShifts } from './format-shifts';
import { formatTable } from './format-table';
import { textTable, thresholdSummary } from './format-thresholds';
import { qualityChartSpec } from './quality-chart';
import { renderSvg } from './render-svg';
import { loadReportData, type ReportData } from './report-data';
import { reportHtml } from './report-html';
import type { ReportOptions } from './report-options';
import { scoreChartSpec } from './score-chart';
import { thresholdChartSpec } from './threshold-chart';

/** A built report: the terminal text and the HTML document. */
export interface BuiltReport {
  readonly data: ReportData;
  readonly text: string;
  readonly html: string;
}

/**
 * Reads the recent days from the monitoring SQL and builds both forms of the report: the table
 * for the terminal and the HTML page with its charts rendered to inline SVG.
 */
export async function buildReport(
  db: Queryable,
  options: Pick<ReportOptions, 'days' | 'bins' | 'trend' | 'top' | 'steps' | 'targetPrecision'> &
    Partial<Pick<ReportOptions, 'errors'>>,
  context: { readonly source: string; readonly now?: Date },
): Promise<BuiltReport> {
  const now = context.now ?? new Date();
  const data = await loadReportData(db, options, now);
  const t = options.trend;
  const settings = `EWMA span ${t.span} (alpha ${(2 / (t.span + 1)).toFixed(3)}), rolling median over ${t.span} days; flags outside the median of the ${t.trailingDays} days before ± ${t.k} × max(MAD, ${t.minMad}), given at least ${t.minHistory} of them.`;
  const quality =
    data.quality.length === 0
      ? `No labelled results between ${data.from} and ${data.to} (${data.histogram.length === 0 ? 'and no scored results either' : 'scores are recorded; labels are not in yet'}).`
      : [
          `Model quality, ${data.from} to ${data.to}\n\n${formatTable(data.quality)}`,
          `Robust trend (Theil–Sen) and shifts\n\n${formatShifts(data.shifts)}`,
          `Threshold what-if, labelled pairs of ${data.from} to ${data.to}\n\n${textTable(thresholdSummary(data.curves, options.targetPrecision), 3)}`,
        ].join('\n\n');
  const text = options.errors
    ? `Top ${options.top} false positives and false negatives per model version, ${data.from} to ${data.to}\n\n${formatErrors(data.errors)}`
    : quality;
  const html = reportHtml({
    data,
    source: context.source,
    generatedAt: now,
    settings,
    qualitySvg: data.quality.length > 0 ? await renderSvg(qualityChartSpec(data.quality)) : undefined,
    scoreSvg: data.histogram.length > 0 ? await renderSvg(scoreChartSpec(data.histogram)) : undefined,
    thresholdSvg: data.curves.length > 0 ? await renderSvg(thresholdChartSpec(data.curves)) : undefined,
    targetPrecision: options.targetPrecision,
  });
  return { data, text, html };
}
