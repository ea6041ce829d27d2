import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver from 's3rver';
import FilesystemStore, { type S3rverObject } from 's3rver/lib/stores/filesystem';
import { useFixture } from './use-fixture';

/** A running loopback S3-compatible server (s3rver) with one bucket. */
export interface S3Server {
  /** `http://127.0.0.1:<port>`: pass as `s3Endpoint` / `AWS_ENDPOINT_URL_S3`. */
  readonly endpoint: string;
  readonly bucket: string;
  /** The environment a child process needs to reach it with the real AWS SDK. */
  readonly env: Record<string, string>;
  /** `s3://<bucket>/<prefix>`: a fresh store location per call, so tests never share state. */
  storeUrl(name: string): string;
  close(): Promise<void>;
}

const BUCKET = 'matcher-models';
const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_REGION: 'us-east-1',
  // The SDK's notice that its 2027 releases need Node 22 is for the README, not every test run.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/**
 * s3rver's file store, except that an object (or a part of a multipart upload) is written whole
 * before its PUT is answered, and its bytes replace the ones before in one step (a rename). The
 * metadata (size, ETag) is written after that rename, so a GET running at the same moment may
 * see the new bytes with the old metadata; a GET sent after the PUT's answer sees the new object
 * whole, as on S3, which is what the tests rely on.
 *
 * s3rver 3.7.1's own `putObject` and `putPart` truncate the file as the PUT starts and move on to
 * the metadata, and then the reply, once their hashing stream has seen the body: they do not wait
 * for the file stream to write those bytes. A GET (or the multipart upload's completion) sent as
 * soon as the reply arrived could then read an empty or cut-short object (a serving test once read
 * back an empty manifest.json). Here the body goes to a temporary file beside the object's, which
 * is renamed over it once written and closed.
 */
export class AtomicPutStore extends FilesystemStore {
  override async putObject(object: S3rverObject): Promise<{ size: number; md5: string }> {
    const content = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    const stored = await writeWhole(content, this.getResourcePath(object.bucket, object.key, 'object'));
    await this.putMetadata(object.bucket, object.key, object.metadata, stored.md5);
    return stored;
  }

  override async putPart(
    bucket: string,
    uploadId: string,
    partNumber: number,
    content: Readable,
  ): Promise<{ size: number; md5: string }> {
    const path = join(this.getResourcePath(bucket, undefined, 'uploads'), uploadId, String(partNumber));
    const stored = await writeWhole(content, path);
    await writeFile(`${path}.md5`, stored.md5);
    return stored;
  }
}

/** Writes `content` to `path` through a temporary file renamed over it once complete. */
async function writeWhole(content: Readable, path: string): Promise<{ size: number; md5: string }> {
  // Not an `._S3rver_<resource>` name: a listing never shows it.
  const partial = `${path}.${randomUUID()}.partial`;
  await mkdir(dirname(path), { recursive: true });
  const md5 = createHash('md5');
  let size = 0;
  try {
    await pipeline(
      content,
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          md5.update(chunk);
          size += chunk.byteLength;
          callback(null, chunk);
        },
      }),
      createWriteStream(partial),
    );
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return { size, md5: md5.digest('hex') };
}

/**
 * Starts s3rver on 127.0.0.1 on an ephemeral port, storing in a temporary directory through
 * {@link AtomicPutStore}, and sets the (dummy) credentials and region the AWS SDK needs in this
 * process's environment.
 */
export async function startS3Server(): Promise<S3Server> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET }],
  });
  // Requests find the store on the context; run() creates the bucket through `server.store`.
  server.store = server.context.store = new AtomicPutStore(directory);
  const { port } = await server.run();
  Object.assign(process.env, CREDENTIALS);
  const endpoint = `http://127.0.0.1:${port}`;
  let stores = 0;
  return {
    endpoint,
    bucket: BUCKET,
    env: { ...CREDENTIALS, AWS_ENDPOINT_URL_S3: endpoint },
    storeUrl: (name) => `s3://${BUCKET}/${name}-${++stores}`,
    close: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * One loopback S3 server for the tests of the block that calls it: started in `beforeAll`, closed
 * (its files removed) in `afterAll`. Call it at the top of a file or a `describe`; read the
 * returned server's fields inside tests and hooks (they throw before it has started).
 *
 * @example
 * const s3 = useS3Server();
 * it('publishes to S3', async () => {
 *   await publishVersion(openStore(s3.storeUrl('store'), s3.endpoint), dir);
 * });
 */
export function useS3Server(): Omit<S3Server, 'close'> {
  return useFixture('useS3Server', startS3Server, (server) => server.close());
}
