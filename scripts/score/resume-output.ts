import { closeSync, createReadStream, existsSync, openSync, truncateSync } from 'node:fs';

/**
 * Gets `path` ready to be appended to: the complete lines already in it are kept and counted; a
 * last line cut short (the run was killed while writing it) is removed. A missing file is created.
 * @returns how many lines are complete, i.e. how many input lines to skip
 */
export async function resumeOutput(path: string): Promise<number> {
  if (!existsSync(path)) {
    closeSync(openSync(path, 'w'));
    return 0;
  }
  let lines = 0;
  let offset = 0;
  let end = 0; // just past the last newline
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let at = chunk.indexOf(0x0a);
    while (at !== -1) {
      lines++;
      end = offset + at + 1;
      at = chunk.indexOf(0x0a, at + 1);
    }
    offset += chunk.length;
  }
  if (end < offset) truncateSync(path, end);
  return lines;
}

/** Lines in `path` (a last line without a newline counts), for the progress bar's total. */
export async function countLines(path: string): Promise<number> {
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let at = chunk.indexOf(0x0a);
    while (at !== -1) {
      lines++;
      at = chunk.indexOf(0x0a, at + 1);
    }
    if (chunk.length > 0) last = chunk[chunk.length - 1] as number;
  }
  return last === 0x0a ? lines : lines + 1;
}
