import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
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
 * Starts s3rver on 127.0.0.1 on an ephemeral port, storing in a temporary directory, and sets the
 * (dummy) credentials and region the AWS SDK needs in this process's environment.
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
