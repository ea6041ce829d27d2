import { isDeepStrictEqual } from 'node:util';

/** How close two backends' scores must be (the model tests hold backends to the same). */
const SCORE_TOLERANCE = 1e-4;

/**
 * Why a reply from the packaged function differs from the source handler's, or `undefined` when
 * it does not. JSON bodies are compared parsed, numbers within {@link SCORE_TOLERANCE}, and a
 * health reply's `backend` and `engine` must be the ones the run asked for (`backend` is `null`
 * when the dense pass scores without TF.js). A 5xx reply or an
 * `internal_error` is always a mismatch, even if the source handler answered the same.
 */
export function findMismatch(actual: unknown, expected: unknown, run: RunExpectation): string | undefined {
  const got = parseBody(actual);
  const want = parseBody(expected);
  const status = (got as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof status === 'number' && status >= 500) return `status ${status}: ${JSON.stringify(got)}`;
  if (JSON.stringify(got ?? null).includes('"internal_error"'))
    return `internal error: ${JSON.stringify(got)}`;
  return compare(got, want, '', run);
}

/** What a run asked for: the TF.js backend (`null`: none, the dense pass scores) and the scoring engine. */
export interface RunExpectation {
  readonly backend: string | null;
  readonly engine?: 'dense' | 'tfjs';
}

function parseBody(reply: unknown): unknown {
  if (typeof reply !== 'object' || reply === null || !('body' in reply)) return reply;
  const { body } = reply as { body: unknown };
  if (typeof body !== 'string') return reply;
  try {
    return { ...reply, body: JSON.parse(body) as unknown };
  } catch {
    return reply;
  }
}

function compare(got: unknown, want: unknown, path: string, run: RunExpectation): string | undefined {
  if (typeof got === 'number' && typeof want === 'number') {
    return Math.abs(got - want) <= SCORE_TOLERANCE ? undefined : `${path}: ${got}, expected ${want}`;
  }
  if (path.endsWith('.backend') && (typeof got === 'string' || got === null)) {
    return got === run.backend ? undefined : `${path}: ${got}, expected ${run.backend}`;
  }
  if (path.endsWith('.engine') && run.engine !== undefined && typeof got === 'string') {
    return got === run.engine ? undefined : `${path}: ${got}, expected ${run.engine}`;
  }
  if (typeof got === 'object' && got !== null && typeof want === 'object' && want !== null) {
    if (Array.isArray(got) !== Array.isArray(want)) return `${path}: ${JSON.stringify(got)}`;
    const keys = new Set([...Object.keys(got), ...Object.keys(want)]);
    for (const key of keys) {
      const problem = compare(
        (got as Record<string, unknown>)[key],
        (want as Record<string, unknown>)[key],
        `${path}.${key}`,
        run,
      );
      if (problem) return problem;
    }
    return undefined;
  }
  return isDeepStrictEqual(got, want)
    ? undefined
    : `${path || 'reply'}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
}
