import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { s3Client } from '../../../lambda/model-store/s3-store';
import { AtomicPutStore, useS3Server } from '../../helpers/s3-server';
import { useScratch } from '../../helpers/scratch';

const scratch = useScratch();
const s3 = useS3Server();

const BUCKET = 'bucket';
const KEY = 'store/versions/2026-09-01T000000Z/manifest.json';

function storeAndPath(): { store: AtomicPutStore; path: string } {
  const store = new AtomicPutStore(scratch.dir('atomic-put'));
  return { store, path: store.getResourcePath(BUCKET, KEY, 'object') };
}

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

describe('AtomicPutStore: s3rver storing an object whole before its PUT is answered', () => {
  it.each([
    ['a request body (a stream)', (body: Buffer) => Readable.from([body])],
    ['a form upload (a Buffer)', (body: Buffer) => body],
  ])(
    'has all of %s in the object file before it writes the metadata, the last step before the reply',
    async (_kind, content) => {
      const { store, path } = storeAndPath();
      // A manifest-sized body: s3rver's own putObject buffers it all and moves on with none written.
      const body = Buffer.alloc(30_000, 'm');
      let onDiskAtMetadata: number | undefined;
      const putMetadata = store.putMetadata.bind(store);
      store.putMetadata = async (...args) => {
        onDiskAtMetadata = statSync(path, { throwIfNoEntry: false })?.size;
        return putMetadata(...args);
      };

      const stored = await store.putObject({
        bucket: BUCKET,
        key: KEY,
        content: content(body),
        metadata: {},
      });

      expect(onDiskAtMetadata).toBe(body.length);
      expect(stored).toEqual({ size: body.length, md5: md5(body) });
      expect(readFileSync(path)).toEqual(body);
    },
  );

  it('leaves the object before in place, whole, while a PUT over it is under way', async () => {
    const { store, path } = storeAndPath();
    const before = Buffer.from('{"alias":"live","version":"2026-09-01T000000Z"}\n');
    await store.putObject({ bucket: BUCKET, key: KEY, content: Readable.from([before]), metadata: {} });
    const body = new PassThrough();
    const put = store.putObject({ bucket: BUCKET, key: KEY, content: body, metadata: {} });
    body.write(Buffer.alloc(1000, 'n'));
    // Time for the file being written to be opened and given the first part (s3rver's own
    // putObject opens the object's own file, emptying it).
    await new Promise((resolve) => setTimeout(resolve, 100));

    const during = readFileSync(path);
    body.end(Buffer.alloc(1000, 'n'));
    await put;

    expect(during.toString()).toBe(before.toString());
    expect(readFileSync(path)).toEqual(Buffer.alloc(2000, 'n'));
  });

  it('on a body that fails half-way: rejects, keeps the object before, and leaves no partial file', async () => {
    const { store, path } = storeAndPath();
    const before = Buffer.from('before');
    await store.putObject({ bucket: BUCKET, key: KEY, content: Readable.from([before]), metadata: {} });
    const filesBefore = readdirSync(dirname(path)).sort();
    const body = new PassThrough();
    const put = store.putObject({ bucket: BUCKET, key: KEY, content: body, metadata: {} });
    body.write(Buffer.alloc(1000, 'n'));
    // Once the store reads the body (an error before that would have no listener).
    while (body.readableFlowing !== true) await new Promise((resolve) => setTimeout(resolve, 5));

    body.destroy(new Error('the connection was reset'));

    await expect(put).rejects.toThrow('the connection was reset');
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(dirname(path)).sort()).toEqual(filesBefore);
  });
});

describe('AtomicPutStore: parts of a multipart upload', () => {
  it('writes a part whole, with its md5 beside it, and no temporary file left', async () => {
    const { store } = storeAndPath();
    const part = Buffer.alloc(70_000, 'p');

    const stored = await store.putPart(BUCKET, 'upload-1', 1, Readable.from([part]));

    const dir = join(store.getResourcePath(BUCKET, undefined, 'uploads'), 'upload-1');
    expect(stored).toEqual({ size: part.length, md5: md5(part) });
    expect(readFileSync(join(dir, '1'))).toEqual(part);
    expect(readFileSync(join(dir, '1.md5'), 'utf8')).toBe(md5(part));
    expect(readdirSync(dir).sort()).toEqual(['1', '1.md5']);
  });
});

describe('startS3Server', () => {
  async function getObject(Key: string): Promise<Buffer> {
    const reply = await s3Client(s3.endpoint).send(new GetObjectCommand({ Bucket: s3.bucket, Key }));
    return Buffer.from(
      await (reply.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
  }

  it('stores through AtomicPutStore: a GET as soon as the PUT is answered reads the whole object', async () => {
    const putObject = jest.spyOn(AtomicPutStore.prototype, 'putObject');
    const body = Buffer.alloc(30_000, 'm');
    const Key = 'round-trip/manifest.json';

    try {
      await s3Client(s3.endpoint).send(new PutObjectCommand({ Bucket: s3.bucket, Key, Body: body }));
      const read = await getObject(Key);

      expect(read).toEqual(body);
      expect(putObject).toHaveBeenCalledTimes(1);
    } finally {
      putObject.mockRestore();
    }
  });

  it('reads back a multipart upload whole (its parts written by AtomicPutStore)', async () => {
    const putPart = jest.spyOn(AtomicPutStore.prototype, 'putPart');
    const body = Buffer.alloc(11 * 1024 * 1024);
    for (let i = 0; i < body.length; i += 4) body.writeUInt32LE(i, i);
    const Key = 'multipart/weights.bin';

    try {
      // Parts of 5 MiB, S3's smallest: three parts.
      await new Upload({
        client: s3Client(s3.endpoint),
        params: { Bucket: s3.bucket, Key, Body: body },
        partSize: 5 * 1024 * 1024,
      }).done();
      const read = await getObject(Key);

      expect(putPart).toHaveBeenCalledTimes(3);
      expect(md5(read)).toBe(md5(body));
    } finally {
      putPart.mockRestore();
    }
  });
});
