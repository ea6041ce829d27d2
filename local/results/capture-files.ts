import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type CaptureDocument, captureKey } from '../../lambda/captures';

/** Files written at once. */
const PARALLEL = 8;

/**
 * Writes captured requests (a journal `captures` entry's documents) to the capture folder, one
 * file each at `<dir>/<UTC day>/<request id>.json`, each to a temporary name and renamed, so a
 * crash never leaves half a capture; a capture written twice (a journal line replayed) is the same
 * file again. Throws when a file cannot be written (the disk is full): the loader retries the
 * line, which stays in the journal.
 */
export async function writeCaptureFiles(dir: string, documents: readonly CaptureDocument[]): Promise<void> {
  const days = new Set<string>();
  const jobs = documents.map((document) => {
    const file = join(
      dir,
      captureKey({ requestId: document.request_id, capturedAt: new Date(document.captured_at) }),
    );
    days.add(dirname(file));
    return { file, document };
  });
  for (const day of days) await mkdir(day, { recursive: true });
  for (let i = 0; i < jobs.length; i += PARALLEL) {
    await Promise.all(
      jobs.slice(i, i + PARALLEL).map(async ({ file, document }) => {
        const temporary = `${file}.${process.pid}.tmp`;
        await writeFile(temporary, JSON.stringify(document));
        await rename(temporary, file);
      }),
    );
  }
}

/** Whether `data` (a journal `captures` entry's) is a list of capture documents. */
export function isCaptureList(data: unknown): data is CaptureDocument[] {
  return (
    Array.isArray(data) &&
    data.every(
      (d) =>
        d !== null &&
        typeof d === 'object' &&
        typeof (d as CaptureDocument).request_id === 'string' &&
        typeof (d as CaptureDocument).captured_at === 'string' &&
        !Number.isNaN(Date.parse((d as CaptureDocument).captured_at)),
    )
  );
}
