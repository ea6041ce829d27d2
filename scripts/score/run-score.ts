import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  isMatcherRequest,
  type MatcherClient,
  MatcherClientError,
  MatcherServiceError,
  MatcherTransportError,
} from '../../clients/typescript/src';
import type { Progress } from './progress-bar';
import { countLines, resumeOutput } from './resume-output';

/** What a scoring run needs. */
export interface ScoreRun {
  /** The requests, one JSON object a line. */
  readonly input: string;
  /** The replies, one JSON array (or error object) a line, in input order; appended to on resume. */
  readonly output: string;
  readonly client: Pick<MatcherClient, 'scoreJson'>;
  /** Most lines read ahead and in flight at once. @default 16 */
  readonly window?: number;
  readonly onProgress?: (progress: Progress) => void;
}

/** How a run went; `stopped` says why it ended early (a re-run resumes there). */
export interface ScoreSummary extends Progress {
  /** Lines found already answered in the output and skipped. */
  readonly resumedAfter: number;
  /** Lines answered by this run. */
  readonly answered: number;
  readonly pairsPerSecond: number;
  readonly requestsPerSecond: number;
  readonly stopped?: string;
}

interface Answer {
  readonly line: string;
  readonly pairs: number;
  readonly failed: boolean;
  readonly entryErrors: number;
}

/**
 * Scores every line of `input` and writes one reply a line to `output`, in input order. A line
 * that is not a matcher request gets an error object (`{"error":{code,message,field?},"line":N}`)
 * and the run goes on; a call that cannot be made (throttled past the retries, the service
 * unreachable) stops the run after the lines before it are written, so a re-run (which resumes
 * after the last complete line of `output`) answers it. Lines are written whole, in order, as soon
 * as every line before them is answered; a line is never written twice.
 */
export async function runScore(run: ScoreRun): Promise<ScoreSummary> {
  const window = run.window ?? 16;
  const [total, resumedAfter] = await Promise.all([countLines(run.input), resumeOutput(run.output)]);
  const fd = openSync(run.output, 'a');
  const started = performance.now();
  const pending = new Map<number, Answer>();
  let next = resumedAfter; // the next line number (0-based) to write
  let inFlight = 0;
  let stopped: string | undefined;
  let stopAt = Number.POSITIVE_INFINITY; // the first line that could not be answered
  let stats = { done: resumedAfter, pairs: 0, failedLines: 0, entryErrors: 0 };
  let wake: (() => void) | undefined;
  const progress = (): Progress => ({ ...stats, total, seconds: (performance.now() - started) / 1000 });

  function flush(): void {
    const ready: string[] = [];
    for (let answer = pending.get(next); answer !== undefined && next < stopAt; answer = pending.get(next)) {
      pending.delete(next);
      ready.push(answer.line);
      stats = {
        done: stats.done + 1,
        pairs: stats.pairs + answer.pairs,
        failedLines: stats.failedLines + (answer.failed ? 1 : 0),
        entryErrors: stats.entryErrors + answer.entryErrors,
      };
      next++;
    }
    // One write per run of ready lines, each whole: a kill leaves at most a cut last line.
    if (ready.length > 0) writeSync(fd, `${ready.join('\n')}\n`);
    run.onProgress?.(progress());
  }

  async function answer(index: number, text: string): Promise<void> {
    try {
      pending.set(index, await answerLine(run.client, index + 1, text));
      flush();
    } catch (error) {
      // Not the line's fault: stop; the lines before it are still written, none from it on, so a
      // re-run resumes at this line.
      if (index < stopAt) {
        stopAt = index;
        stopped = `line ${index + 1}: ${error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error)}`;
      }
    } finally {
      inFlight--;
      wake?.();
    }
  }

  try {
    const lines = createInterface({
      input: createReadStream(run.input),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    let index = 0;
    for await (const text of lines) {
      if (stopped !== undefined) break;
      if (index++ < resumedAfter) continue;
      while (inFlight >= window || (pending.size >= window * 4 && stopped === undefined)) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      if (stopped !== undefined) break;
      inFlight++;
      void answer(index - 1, text);
    }
    lines.close();
    while (inFlight > 0) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    flush();
  } finally {
    closeSync(fd);
  }
  const p = progress();
  return {
    ...p,
    resumedAfter,
    answered: p.done - resumedAfter,
    pairsPerSecond: p.seconds > 0 ? p.pairs / p.seconds : 0,
    requestsPerSecond: p.seconds > 0 ? (p.done - resumedAfter) / p.seconds : 0,
    ...(stopped === undefined ? {} : { stopped }),
  };
}

/** One line's output: the reply, or an error object naming the line; rejects only for transport failures. */
async function answerLine(client: ScoreRun['client'], lineNumber: number, text: string): Promise<Answer> {
  let request: unknown;
  try {
    request = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? `: ${error.message}` : '';
    return failure(lineNumber, 'invalid_json', `line ${lineNumber} is not JSON${detail}`);
  }
  const pairs = isMatcherRequest(request)
    ? request.budgets.length * request.all_user_expense_lineitems.length
    : 0;
  try {
    const { reply } = await client.scoreJson(text.trim(), request);
    return { line: reply, pairs, failed: false, entryErrors: countOccurrences(reply, '"score":null') };
  } catch (error) {
    if (error instanceof MatcherTransportError) throw error;
    if (error instanceof MatcherServiceError)
      return failure(lineNumber, error.code, error.message, error.field);
    if (error instanceof MatcherClientError) return failure(lineNumber, error.code, error.message);
    throw error;
  }
}

function failure(line: number, code: string, message: string, field?: string): Answer {
  const error = { code, message, ...(field === undefined ? {} : { field }) };
  return { line: JSON.stringify({ error, line }), pairs: 0, failed: true, entryErrors: 0 };
}

function countOccurrences(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}
