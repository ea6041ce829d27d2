import { createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { listFiles } from './measure';

// A fixed timestamp makes the zip a function of its contents, so CDK's asset hash (and with it
// a new function version) changes only when the code does.
const FIXED_MTIME = new Date('2020-01-01T00:00:00Z');

/**
 * Zips every file under `dir` into `zipPath`, reproducibly: sorted entries, a fixed timestamp,
 * and modes Lambda can read (it runs code as a user that needs the world-read bit).
 * @returns the zip's size in bytes
 */
export async function zipDirectory(dir: string, zipPath: string): Promise<number> {
  const zip = new ZipFile();
  for (const { path } of listFiles(dir).sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const executable = (statSync(join(dir, path)).mode & 0o111) !== 0;
    zip.addFile(join(dir, path), path, {
      mtime: FIXED_MTIME,
      mode: executable ? 0o100755 : 0o100644,
      compressionLevel: 9,
    });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(zipPath));
  return statSync(zipPath).size;
}
