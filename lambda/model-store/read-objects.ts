import { createHash, type Hash } from 'node:crypto';
import { ModelStoreError } from '../errors';
import type { ModelStore } from './model-store';
import type { SegmentedBuffer } from './segmented-buffer';

/** One object to read: where from, what the manifest says it is, and where its bytes go. */
export interface ObjectRead {
  readonly key: string;
  /** The name errors report (the file's path in the manifest). */
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly target: SegmentedBuffer;
}

/** How objects are read. */
export interface ReadOptions {
  /**
   * The largest single ranged read, in bytes. Objects larger than this are read in parts, so no
   * read ever comes near the 2 GiB that broke the seed service. @default 16 MiB
   */
  readonly partBytes?: number;
  /** How many ranged reads are in flight at once, across all objects. @default 6 */
  readonly concurrency?: number;
}

export const DEFAULT_READ_OPTIONS = { partBytes: 16 * 1024 * 1024, concurrency: 6 } as const;

interface Part {
  readonly object: ObjectState;
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

interface ObjectState {
  readonly read: ObjectRead;
  readonly hash: Hash;
  readonly partEnds: number[];
  readonly done: boolean[];
  hashedParts: number;
}

/**
 * Streams every object into its target, in ranged parts read several at a time, and verifies
 * each object's size and sha256 as its bytes arrive (hashing the completed prefix, so nothing is
 * read twice from the store). Throws a {@link ModelStoreError} naming the file: `model_file_missing`
 * when it does not exist, `checksum_mismatch` when its size or digest is not what the manifest
 * says (a corrupted or truncated object). Store failures pass through as `store_unreachable`.
 */
export async function readObjects(
  store: ModelStore,
  objects: readonly ObjectRead[],
  options: ReadOptions = {},
): Promise<void> {
  const partBytes = options.partBytes ?? DEFAULT_READ_OPTIONS.partBytes;
  const concurrency = options.concurrency ?? DEFAULT_READ_OPTIONS.concurrency;
  const parts: Part[] = [];
  for (const read of objects) {
    if (read.target.byteLength !== read.bytes) {
      throw new ModelStoreError(
        'invalid_artifact',
        `${read.name}: target is not ${read.bytes} bytes`,
        read.name,
      );
    }
    const count = Math.max(1, Math.ceil(read.bytes / partBytes));
    const object: ObjectState = {
      read,
      hash: createHash('sha256'),
      partEnds: [],
      done: new Array(count).fill(false),
      hashedParts: 0,
    };
    for (let i = 0; i < count; i++) {
      const start = i * partBytes;
      const end = Math.min(read.bytes, start + partBytes);
      object.partEnds.push(end);
      parts.push({ object, index: i, start, end });
    }
  }
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (next < parts.length && failed === undefined) {
      const part = parts[next++] as Part;
      try {
        await readPart(store, part);
        advanceHash(part.object);
      } catch (error) {
        failed ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, parts.length) }, worker));
  if (failed !== undefined) throw failed;
}

async function readPart(store: ModelStore, part: Part): Promise<void> {
  const { read } = part.object;
  const range = await store.readRange(read.key, part.start, part.end);
  if (!range) {
    throw new ModelStoreError('model_file_missing', `${read.name} is not in ${store.location}`, read.name);
  }
  if (range.totalBytes !== read.bytes) throw sizeMismatch(read, range.totalBytes);
  let position = part.start;
  for await (const chunk of range.chunks) {
    if (position + chunk.byteLength > part.end) throw sizeMismatch(read, Number.NaN);
    read.target.write(position, chunk);
    position += chunk.byteLength;
  }
  if (position !== part.end) {
    throw new ModelStoreError(
      'checksum_mismatch',
      `${read.name}: the read ended after ${position} of ${read.bytes} bytes (truncated)`,
      read.name,
    );
  }
  part.object.done[part.index] = true;
}

/** Hashes every part from the first unhashed one up to the first still missing. */
function advanceHash(object: ObjectState): void {
  while (object.hashedParts < object.done.length && object.done[object.hashedParts]) {
    const i = object.hashedParts;
    const start = i === 0 ? 0 : (object.partEnds[i - 1] as number);
    for (const view of object.read.target.views(start, object.partEnds[i] as number))
      object.hash.update(view);
    object.hashedParts++;
  }
  if (object.hashedParts === object.done.length) {
    const sha256 = object.hash.digest('hex');
    const { read } = object;
    if (sha256 !== read.sha256) {
      throw new ModelStoreError(
        'checksum_mismatch',
        `${read.name} has sha256 ${sha256.slice(0, 12)}…; the manifest says ${read.sha256.slice(0, 12)}… (corrupted)`,
        read.name,
      );
    }
  }
}

function sizeMismatch(read: ObjectRead, actual: number): ModelStoreError {
  const size = Number.isNaN(actual) ? 'longer than' : `${actual} bytes;`;
  return new ModelStoreError(
    'checksum_mismatch',
    `${read.name} is ${size} the manifest says ${read.bytes} bytes`,
    read.name,
  );
}
