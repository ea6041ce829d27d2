export { type DailyQuality, type DayRange, dailyQuality } from './daily-quality';
export { type LiveQuality, liveQuality } from './live-quality';
export { logMonitorRun, type MonitorLogger } from './log-monitor-run';
export { dayBefore, fallingFigures, type MonitorRun, runMonitor } from './monitor-run';
export {
  type CapturedBudget,
  type CapturedItem,
  type PairError,
  type PairErrorQuery,
  pairErrors,
} from './pair-errors';
export { publishMonitorRun } from './publish-monitor-run';
export {
  type DayValue,
  DEFAULT_SHIFT_OPTIONS,
  detectShifts,
  type FigureShift,
  type QualityShift,
  qualityShifts,
  qualityShiftsOf,
  type ShiftOptions,
} from './quality-shifts';
export {
  DEFAULT_TREND_OPTIONS,
  type FigureTrend,
  type QualityTrend,
  qualityTrend,
  type TrendOptions,
} from './quality-trend';
export { type ScoreBucket, scoreHistogram } from './score-histogram';
export { addDays, type Day, parseDay, toDay } from './sql-values';
export { type TheilSenFit, theilSen } from './theil-sen';
export {
  bestF1,
  meetsPrecision,
  type ThresholdCurve,
  type ThresholdCurveQuery,
  type ThresholdPoint,
  thresholdCurves,
} from './threshold-curve';
export { twoWindowShift, type WindowShift } from './two-window-shift';
