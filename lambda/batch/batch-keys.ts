import { InvalidRequestError } from '../errors';

/**
 * Where a run's files go, all under the function's prefix: the item list the map reads, the
 * replies (one object per item, named by its first line so that listing them gives input order),
 * and the map's own result files.
 */
export function runKeys(prefix: string, runId: string) {
  const run = `${prefix}runs/${runId}/`;
  return {
    items: `${run}items.json`,
    replies: `${run}replies/`,
    /** One object per item: `replies/000000000100.jsonl` holds the replies to lines 101 onwards. */
    reply: (firstLine: number) => `${run}replies/${String(firstLine).padStart(12, '0')}.jsonl`,
    mapResults: `${run}map/`,
  } as const;
}

/** Refuses a key outside `prefix`: the function may touch nothing else (and its role allows nothing else). */
export function assertUnderPrefix(key: string, prefix: string): void {
  if (!key.startsWith(prefix) || key.split('/').includes('..')) {
    throw new InvalidRequestError('key_outside_prefix', `s3 key "${key}" is not under "${prefix}"`, 'key');
  }
}
