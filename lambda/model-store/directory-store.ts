import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ModelStore, RangeRead } from './model-store';
import { unreachable } from './store-error';

/**
 * A model store in a local directory: keys are paths below `root`. The embedded default model
 * is read through it (as a flat artifact), and data scientists can keep a versioned store on
 * disk with the same layout as in S3.
 */
export class DirectoryStore implements ModelStore {
  readonly location: string;

  constructor(root: string) {
    this.location = resolve(root);
  }

  async readRange(key: string, start: number, end: number): Promise<RangeRead | undefined> {
    const path = this.path(key);
    const info = await this.guard(key, () => stat(path));
    if (!info) return undefined;
    // createReadStream's `end` is inclusive; an empty range must not read byte `start`.
    const chunks: RangeRead['chunks'] =
      end > start ? createReadStream(path, { start, end: end - 1, highWaterMark: 1 << 20 }) : [];
    return { totalBytes: info.size, chunks };
  }

  async readSmall(key: string): Promise<Buffer | undefined> {
    return this.guard(key, () => readFile(this.path(key)));
  }

  async exists(key: string): Promise<boolean> {
    return (await this.guard(key, () => stat(this.path(key)))) !== undefined;
  }

  async writeFile(key: string, sourcePath: string): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    await copyFile(sourcePath, path);
  }

  async writeSmall(key: string, body: string): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    // Write beside, then rename: a reader sees the old pointer or the new one, never half of one.
    const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, body);
    await rename(temporary, path);
  }

  async listChildren(prefix: string): Promise<string[]> {
    const names = await this.guard(prefix, () => readdir(this.path(prefix)));
    return (names ?? []).filter((n) => !n.endsWith('.tmp')).sort();
  }

  private path(key: string): string {
    return join(this.location, ...key.split('/').filter((part) => part !== ''));
  }

  /** Runs a filesystem call; a missing path reads as `undefined`, anything else as unreachable. */
  private async guard<T>(key: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw unreachable(this.location, key, error);
    }
  }
}
