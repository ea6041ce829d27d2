import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelStoreError } from '../../../lambda/errors';
import { DirectoryStore, type ModelStore, readObjects, SegmentedBuffer } from '../../../lambda/model-store';
import { useScratch } from '../../helpers/scratch';

/** A real directory store that also records every range it is asked for. */
class RecordingStore extends DirectoryStore {
  readonly ranges: Array<{ key: string; start: number; end: number }> = [];
  override readRange(key: string, start: number, end: number) {
    this.ranges.push({ key, start, end });
    return super.readRange(key, start, end);
  }
}

const dir = useScratch().dir('read-objects');

function object(name: string, bytes: Buffer) {
  writeFileSync(join(dir, name), bytes);
  return { name, bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
}

function pattern(length: number, seed: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff));
}

async function failure(
  store: ModelStore,
  reads: Parameters<typeof readObjects>[1],
): Promise<ModelStoreError> {
  const error = await readObjects(store, reads, { partBytes: 1000 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelStoreError);
  return error as ModelStoreError;
}

describe('readObjects', () => {
  it('reads large objects in ranged parts no larger than partBytes, covering every byte once', async () => {
    const store = new RecordingStore(dir);
    const a = object('a.bin', pattern(10_500, 1));
    const b = object('b.bin', pattern(2_000, 2));
    const targets = [SegmentedBuffer.ofLength(a.bytes), SegmentedBuffer.ofLength(b.bytes)];

    await readObjects(
      store,
      [
        { ...a, key: 'a.bin', target: targets[0] as SegmentedBuffer },
        { ...b, key: 'b.bin', target: targets[1] as SegmentedBuffer },
      ],
      { partBytes: 1000, concurrency: 3 },
    );

    expect(targets[0]?.toBuffer().equals(pattern(10_500, 1))).toBe(true);
    expect(targets[1]?.toBuffer().equals(pattern(2_000, 2))).toBe(true);
    expect(Math.max(...store.ranges.map((r) => r.end - r.start))).toBe(1000);
    const covered = store.ranges
      .filter((r) => r.key === 'a.bin')
      .sort((x, y) => x.start - y.start)
      .map((r) => [r.start, r.end]);
    expect(covered).toHaveLength(11);
    expect(covered.at(-1)).toEqual([10_000, 10_500]);
    for (let i = 1; i < covered.length; i++) expect(covered[i]?.[0]).toBe(covered[i - 1]?.[1]);
  });

  it('writes an object across the several buffers of its target', async () => {
    const a = object('split.bin', pattern(3_000, 3));
    const parts = [new Uint8Array(1), new Uint8Array(0), new Uint8Array(2_499), new Uint8Array(500)];

    await readObjects(
      new DirectoryStore(dir),
      [{ ...a, key: 'split.bin', target: new SegmentedBuffer(parts) }],
      {
        partBytes: 700,
      },
    );

    expect(Buffer.concat(parts).equals(pattern(3_000, 3))).toBe(true);
  });

  it('refuses a corrupted object: checksum_mismatch naming it', async () => {
    const good = object('corrupt.bin', pattern(4_000, 4));
    const bad = pattern(4_000, 4);
    bad[3_999] = (bad[3_999] ?? 0) ^ 1;
    writeFileSync(join(dir, 'corrupt.bin'), bad);

    const error = await failure(new DirectoryStore(dir), [
      { ...good, key: 'corrupt.bin', target: SegmentedBuffer.ofLength(good.bytes) },
    ]);

    expect(error).toMatchObject({ code: 'checksum_mismatch', field: 'corrupt.bin' });
    expect(error.message).toMatch(/sha256/);
  });

  it('refuses a truncated object, saying how long it is', async () => {
    const good = object('short.bin', pattern(4_000, 5));
    writeFileSync(join(dir, 'short.bin'), pattern(3_000, 5));

    const error = await failure(new DirectoryStore(dir), [
      { ...good, key: 'short.bin', target: SegmentedBuffer.ofLength(good.bytes) },
    ]);

    expect(error).toMatchObject({ code: 'checksum_mismatch', field: 'short.bin' });
    expect(error.message).toContain('3000 bytes; the manifest says 4000');
  });

  it('says when an object is missing', async () => {
    const error = await failure(new DirectoryStore(dir), [
      {
        name: 'gone.bin',
        key: 'gone.bin',
        bytes: 10,
        sha256: '0'.repeat(64),
        target: SegmentedBuffer.ofLength(10),
      },
    ]);

    expect(error).toMatchObject({ code: 'model_file_missing', field: 'gone.bin' });
  });
});
