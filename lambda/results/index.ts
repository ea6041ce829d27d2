export { type ResultRow, type ScoringRun, toResultRows } from './result-row';
export { discardingSink, MemorySink, type ResultSink } from './result-sink';
