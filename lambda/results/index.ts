export { Backoff, type BackoffOptions } from '../retry';
export { startPredictRegistration } from './early-registration';
export type { LabelRow } from './label-row';
export { predictCaptureSink } from './predict-capture-sink';
export {
  predictResultsExtension,
  type ResultsExtension,
  tellingExtension,
  withResultsExtension,
} from './predict-extension';
export { predictSink } from './predict-sink';
export { type RecordDeps, type RecordLogger, recordScored, type ScoredRun } from './record-scored';
export {
  appendColumns,
  appendRows,
  columnRows,
  emptyColumns,
  RESULT_COLUMNS,
  type ResultColumns,
  sliceColumns,
} from './result-columns';
export { type ResultRow, type ScoringRun, toResultRows } from './result-row';
export { discardingSink, MemorySink, type ResultSink } from './result-sink';
export {
  labelRowSchema,
  messageItems,
  type ResultsMessage,
  resultRowSchema,
  resultsMessageSchema,
} from './results-message';
export { RowBuffer, type RowBufferOptions } from './row-buffer';
export { appendPairs, type PairSide, pairsRowCount, type ScoredPairs } from './scored-pairs';
// `sqs-sink.ts` and `sqs-client.ts` are left out on purpose, as `model-store/index.ts` leaves out
// `s3-store.ts`: `predictSink` requires them only when there is a queue, and the client's signer
// loads at its first send. Import `SqsSink` from its file.
export type { SqsSender, SqsSinkOptions } from './sqs-sink';
export {
  columnsBatch,
  type IsolatedWrite,
  labelsBatch,
  messageBatch,
  type SplittableBatch,
  writeIsolating,
} from './write-isolating';
export { writeLabels } from './write-labels';
export { writeMessage } from './write-message';
export { type QueuedMessage, type QueuedWriteOutcome, writeQueuedMessages } from './write-queued-messages';
export { writeResultColumns, writeResults } from './write-results';
