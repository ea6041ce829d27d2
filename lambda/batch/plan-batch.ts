import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BatchConfig } from './batch-config';
import type { BatchItem, PlanEvent } from './batch-event';
import { assertUnderPrefix, runKeys } from './batch-keys';

/** What the plan step hands the map: where the item list is, and the run's size. */
export interface BatchPlan {
  readonly bucket: string;
  readonly itemsKey: string;
  readonly items: number;
  readonly lines: number;
  readonly outputPrefix: string;
}

/**
 * Reads the JSONL of requests once, as a stream, and cuts it into map items of at most
 * `linesPerItem` lines (and about `maxItemBytes` bytes), each a reference (object, first line,
 * line count, byte range), never the requests themselves: Step Functions caps a state's input at
 * 256 KiB, under one large request. The list is written to S3 for the map's ItemReader.
 */
export async function planBatch(s3: S3Client, config: BatchConfig, event: PlanEvent): Promise<BatchPlan> {
  assertUnderPrefix(event.key, config.prefix);
  const object = await s3.send(new GetObjectCommand({ Bucket: event.bucket, Key: event.key }));
  const items: BatchItem[] = [];
  let offset = 0; // bytes read so far
  let itemStart = 0;
  let firstLine = 0;
  let lines = 0;
  const close = (end: number) => {
    items.push({ bucket: event.bucket, key: event.key, firstLine, lines, start: itemStart, end });
    itemStart = end;
    firstLine += lines;
    lines = 0;
  };
  for await (const chunk of object.Body as AsyncIterable<Uint8Array>) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) {
      lines++;
      const end = offset + at + 1;
      if (lines >= config.linesPerItem || end - itemStart >= config.maxItemBytes) close(end);
    }
    offset += bytes.length;
  }
  if (offset > itemStart) lines++; // a last line without its newline
  if (lines > 0) close(offset);
  const keys = runKeys(config.prefix, event.runId);
  await s3.send(
    new PutObjectCommand({
      Bucket: event.bucket,
      Key: keys.items,
      Body: JSON.stringify(items),
      ContentType: 'application/json',
    }),
  );
  const total = items.reduce((n, item) => n + item.lines, 0);
  return {
    bucket: event.bucket,
    itemsKey: keys.items,
    items: items.length,
    lines: total,
    outputPrefix: keys.replies,
  };
}
