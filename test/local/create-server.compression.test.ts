import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { makeRequest } from '../../bench/make-request';
import { MIN_COMPRESSION_BYTES } from '../../lambda/edge';
import { handler } from '../../lambda/predict';
import { createLocalServer } from '../../local/create-server';
import { loadRequest } from '../helpers/events';

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

describe('local server: compression', () => {
  const server = createLocalServer(handler, { maxBodyBytes: 1024 * 1024 });
  let port = 0;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  /** One POST with exactly these headers and bytes, the reply's bytes as they came over the wire. */
  const post = (body: Buffer | string, headers: Record<string, string>): Promise<RawReply> =>
    new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, method: 'POST', path: '/budget_expense_matcher', headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const trip = JSON.stringify(makeRequest(3, 40));

  it('gzips a reply over MIN_COMPRESSION_BYTES for a client that accepts gzip, the same JSON inside', async () => {
    const plain = await post(trip, { 'content-type': 'application/json' });

    const zipped = await post(trip, {
      'content-type': 'application/json',
      'accept-encoding': 'gzip, deflate',
    });

    expect(plain.body.length).toBeGreaterThan(MIN_COMPRESSION_BYTES);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('accept-encoding');
    expect(zipped.body.length).toBeLessThan(plain.body.length / 4);
    expect(gunzipSync(zipped.body).toString()).toBe(plain.body.toString());
  });

  it('sends a small reply plain, and honours gzip;q=0', async () => {
    const seed = JSON.stringify(loadRequest('seed-request'));

    const small = await post(seed, { 'accept-encoding': 'gzip' });
    const refused = await post(trip, { 'accept-encoding': 'gzip;q=0, identity' });

    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString())).toHaveLength(1);
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('reads a gzip request body as API Gateway does', async () => {
    const plain = await post(trip, {});

    const fromGzip = await post(gzipSync(trip), { 'content-encoding': 'gzip' });

    expect(fromGzip.status).toBe(200);
    expect(fromGzip.body.toString()).toBe(plain.body.toString());
  });

  it('answers 413 for a gzip body that decompresses past the limit, 400 for a broken one, 415 for an unknown encoding', async () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 32));

    const tooLarge = await post(bomb, { 'content-encoding': 'gzip' });
    const broken = await post(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
    const unknown = await post(trip, { 'content-encoding': 'br' });

    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body.toString()).error.code).toBe('payload_too_large');
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body.toString()).error.code).toBe('invalid_encoding');
    expect(unknown.status).toBe(415);
    expect(JSON.parse(unknown.body.toString()).error).toEqual(
      expect.objectContaining({ code: 'unsupported_encoding', field: 'body' }),
    );
  });
});
