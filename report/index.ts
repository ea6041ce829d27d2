export { type BuiltReport, buildReport } from './build-report';
export { figure, flags, formatTable, tableRows } from './format-table';
export { qualityChartSpec } from './quality-chart';
export { renderSvg } from './render-svg';
export { loadReportData, type ReportData } from './report-data';
export { type ReportPage, reportHtml } from './report-html';
export { parseReportOptions, REPORT_USAGE, type ReportOptions } from './report-options';
export { scoreChartSpec } from './score-chart';
