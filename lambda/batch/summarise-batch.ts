import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SummariseEvent } from './batch-event';

/** A run's outcome, the state machine's output. */
export interface BatchSummary {
  readonly runId: string;
  readonly items: number;
  readonly lines: number;
  readonly failedItems: number;
  /** The failed items' first lines and errors (at most 100), to find and re-run them. */
  readonly failed: readonly {
    readonly firstLine?: number;
    readonly lines?: number;
    readonly error?: string;
  }[];
  readonly failedLines: number;
  readonly pairs: number;
  readonly outputPrefix: string;
}

interface MapManifest {
  readonly ResultFiles?: Record<string, readonly { readonly Key: string }[] | undefined>;
}

interface MapResult {
  readonly Input?: string;
  readonly Output?: string;
  readonly Error?: string;
  readonly Cause?: string;
}

/**
 * Adds up a run from the Distributed Map's result files (its ResultWriter manifest lists the
 * SUCCEEDED and FAILED files): items that failed past their retries, lines answered with an error
 * object, pairs scored. `publish` gets the counts for the failed-items alarm.
 */
export async function summariseBatch(
  s3: S3Client,
  event: SummariseEvent,
  publish: (counts: { failedItems: number; failedLines: number; pairs: number }) => void,
): Promise<BatchSummary> {
  const { Bucket, Key } = event.map.ResultWriterDetails;
  const manifest = (await readJson(s3, Bucket, Key)) as MapManifest;
  const files = manifest.ResultFiles ?? {};
  let failedLines = 0;
  let pairs = 0;
  for (const file of files.SUCCEEDED ?? []) {
    for (const result of (await readJson(s3, Bucket, file.Key)) as MapResult[]) {
      const output = parse(result.Output) as { failedLines?: number; pairs?: number } | undefined;
      failedLines += output?.failedLines ?? 0;
      pairs += output?.pairs ?? 0;
    }
  }
  const failed: BatchSummary['failed'][number][] = [];
  let failedItems = 0;
  for (const file of [...(files.FAILED ?? []), ...(files.PENDING ?? [])]) {
    for (const result of (await readJson(s3, Bucket, file.Key)) as MapResult[]) {
      failedItems++;
      if (failed.length >= 100) continue;
      const input = parse(result.Input) as { firstLine?: number; lines?: number } | undefined;
      failed.push({
        ...(input?.firstLine === undefined ? {} : { firstLine: input.firstLine + 1 }),
        ...(input?.lines === undefined ? {} : { lines: input.lines }),
        ...(result.Error === undefined
          ? {}
          : { error: `${result.Error}${result.Cause ? `: ${result.Cause.slice(0, 300)}` : ''}` }),
      });
    }
  }
  publish({ failedItems, failedLines, pairs });
  return {
    runId: event.runId,
    items: event.plan.items,
    lines: event.plan.lines,
    failedItems,
    failed,
    failedLines,
    pairs,
    outputPrefix: event.plan.outputPrefix,
  };
}

async function readJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse((await object.Body?.transformToString('utf8')) ?? 'null');
}

function parse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
