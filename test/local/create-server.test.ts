import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { handler } from '../../lambda/predict';
import { createLocalServer } from '../../local/create-server';
import { ReceivedBodies } from '../../local/received-bodies';
import { loadRequest } from '../helpers/events';

/** Listens `server` on a free loopback port for the describe block; its base URL once listening. */
function listening(server: Server): () => string {
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  return () => base;
}

describe('local server over real HTTP', () => {
  const server = createLocalServer(handler, { maxBodyBytes: 1024 * 1024 });
  const base = listening(server);

  const post = (body: string) =>
    fetch(`${base()}/budget_expense_matcher`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

  it('scores the seed request exactly as direct invoke does', async () => {
    const request = loadRequest('seed-request');

    const response = await post(JSON.stringify(request));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-model-version')).toEqual(expect.any(String));
    expect(await response.json()).toEqual(await handler(request));
  });

  it('reports health with the model version and backend', async () => {
    const response = await fetch(`${base()}/health`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(
      expect.objectContaining({ status: 'ok', model_version: expect.any(String) }),
    );
  });

  it('answers a body that is not JSON with 400 and the error object', async () => {
    const response = await post('{"budgets": [');

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: expect.objectContaining({ code: 'invalid_json', field: 'body' }),
    });
  });

  it('answers a body over its limit with 413 without reading it all', async () => {
    const response = await post('x'.repeat(2 * 1024 * 1024));

    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: expect.objectContaining({ code: 'payload_too_large' }) });
  });

  it('answers an unknown route with 404', async () => {
    const response = await fetch(`${base()}/nowhere`);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: expect.objectContaining({ code: 'not_found' }) });
  });
});

describe('local server routing to other functions', () => {
  const feedback = jest.fn(async () => ({ statusCode: 202, headers: {}, body: '{}' }));
  const server = createLocalServer(handler, { functions: { '/feedback': feedback } });
  const base = listening(server);

  it('sends a function its own path, however written, and nothing else', async () => {
    const routed = await fetch(`${base()}//feedback/`, { method: 'POST', body: '{}' });
    expect(routed.status).toBe(202);
    expect(feedback).toHaveBeenCalledTimes(1);

    // Names every object has are not functions of the table: the handler answers them.
    for (const path of ['/constructor', '/toString', '/__proto__']) {
      const response = await fetch(`${base()}${path}`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: expect.objectContaining({ code: 'not_found' }) });
    }
    expect(feedback).toHaveBeenCalledTimes(1);
  });
});

describe('local server lending the bodies it read', () => {
  const bodies = new ReceivedBodies();
  const seen: (Buffer | undefined)[] = [];
  const lending = async (event: unknown, context?: { awsRequestId?: string }) => {
    const { body, path } = event as { body: string; path: string };
    seen.push(bodies.bytesOf(context?.awsRequestId as string, body));
    if (path === '/fails') throw new Error('the handler failed');
    return { statusCode: 200, headers: {}, body: '{}' };
  };
  const server = createLocalServer(lending, { receivedBodies: bodies });
  const base = listening(server);

  it('lends each body as the bytes read, gzip undone, while the handler runs, and takes it back after', async () => {
    const text = JSON.stringify({ note: 'Café — 東京 🍣\r\n' });
    const zipped = gzipSync(Buffer.from(text));

    const plain = await fetch(`${base()}/score`, { method: 'POST', body: text });
    const gzipped = await fetch(`${base()}/score`, {
      method: 'POST',
      headers: { 'content-encoding': 'gzip' },
      body: zipped,
    });
    const failed = await fetch(`${base()}/fails`, { method: 'POST', body: text });

    expect([plain.status, gzipped.status, failed.status]).toEqual([200, 200, 500]);
    expect(seen.map((b) => b?.toString('utf8'))).toEqual([text, text, text]);
    expect(bodies.size).toBe(0);
  });

  it('lends nothing under another request id, nor bytes that cannot be the text', () => {
    bodies.lend('r-1', Buffer.from('{"a":1}'));

    expect(bodies.bytesOf('r-2', '{"a":1}')).toBeUndefined();
    expect(bodies.bytesOf('r-1', '{"a":1, "longer than the bytes": true}')).toBeUndefined();
    expect(bodies.bytesOf('r-1', '{"a":1}')?.toString()).toBe('{"a":1}');
    bodies.takeBack('r-1');
    expect(bodies.size).toBe(0);
  });
});
