export { type DailyQuality, type DayRange, dailyQuality } from './daily-quality';
export { type LiveQuality, liveQuality } from './live-quality';
export { logMonitorRun, type MonitorLogger } from './log-monitor-run';
export { dayBefore, type MonitorRun, runMonitor } from './monitor-run';
export { publishMonitorRun } from './publish-monitor-run';
export {
  DEFAULT_TREND_OPTIONS,
  type FigureTrend,
  type QualityTrend,
  qualityTrend,
  type TrendOptions,
} from './quality-trend';
export { type ScoreBucket, scoreHistogram } from './score-histogram';
export { addDays, type Day, parseDay, toDay } from './sql-values';
