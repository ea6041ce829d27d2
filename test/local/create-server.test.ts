import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handler } from '../../lambda/predict';
import { createLocalServer } from '../../local/create-server';
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
