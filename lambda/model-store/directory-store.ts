import { copyFile, mkdir, open, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ModelStore, RangeRead } from './model-store';
import { unreachable } from './store-error';

const READ_BUFFER_BYTES = 1 << 20;

/**
 * A model store in a local directory: keys are paths below `root`. The embedded default model
 * is read through it (as a flat artifact), and data scientists can keep a versioned store on
 * disk with the same layout as in S3.
 */
export class DirectoryStore implements ModelStore {
  readonly location: string;
  private readonly spareBuffers: Buffer[] = [];

  constructor(root: string) {
    this.location = resolve(root);
  }

  async readRange(key: string, start: number, end: number): Promise<RangeRead | undefined> {
    const path = this.path(key);
    const info = await this.guard(key, () => stat(path));
    if (!info) return undefined;
    return { totalBytes: info.size, chunks: this.readFileRange(path, start, Math.min(end, info.size)) };
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

  /**
   * Reads `[start, end)` of a file through a reused buffer: each chunk is valid until the next is
   * requested (readers copy it out at once). A read stream allocates a new buffer per chunk,
   * garbage that piles up to tens of MiB before a collection, on top of the model being loaded.
   */
  private async *readFileRange(path: string, start: number, end: number): AsyncGenerator<Uint8Array> {
    if (end <= start) return;
    const handle = await open(path, 'r');
    const buffer = this.spareBuffers.pop() ?? Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
    try {
      let position = start;
      while (position < end) {
        const { bytesRead } = await handle.read(
          buffer,
          0,
          Math.min(buffer.byteLength, end - position),
          position,
        );
        if (bytesRead === 0) return;
        yield buffer.subarray(0, bytesRead);
        position += bytesRead;
      }
    } finally {
      this.spareBuffers.push(buffer);
      await handle.close();
    }
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
