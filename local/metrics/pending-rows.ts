import type { ResultSink } from '../../lambda/results';

/**
 * The results backlog of a sink: what it holds and has not written yet (the local queue sink's
 * `pendingRows`); `undefined` for a sink that does not say (nothing recorded, or another kind).
 */
export function pendingRows(sink: ResultSink): number | undefined {
  const pending = (sink as { readonly pendingRows?: unknown }).pendingRows;
  return typeof pending === 'number' ? pending : undefined;
}
