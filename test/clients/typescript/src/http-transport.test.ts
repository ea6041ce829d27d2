import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { MatcherClient, MatcherServiceError, matcherUrl } from '../../../../clients/typescript/src';

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** An HTTP server that records what it receives and answers with `answers` in turn (the last one repeats). */
async function recordingServer(
  answers: readonly { status: number; body: string | Buffer; headers?: Record<string, string> }[],
) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const answer = answers[Math.min(seen.length - 1, answers.length - 1)] as (typeof answers)[number];
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const request = { budgets: [{ budget_id: 'b1' }], all_user_expense_lineitems: [{ itemization_id: 'i1' }] };
const reply = [{ budget_id: 'b1', itemization_id: 'i1', score: 0.5, match: true }];

describe('MatcherClient over HTTP (`url`)', () => {
  it('appends the route to a base URL, keeping a stage prefix', () => {
    expect(matcherUrl('http://127.0.0.1:3000').href).toBe('http://127.0.0.1:3000/budget_expense_matcher');
    expect(matcherUrl('https://abc.execute-api.eu-west-1.amazonaws.com/prod/').pathname).toBe(
      '/prod/budget_expense_matcher',
    );
    expect(matcherUrl('http://h/prod/budget_expense_matcher').pathname).toBe('/prod/budget_expense_matcher');
  });

  it('signs with SigV4 for execute-api when asked, with a signature that verifies', async () => {
    const server = await recordingServer([{ status: 200, body: JSON.stringify(reply) }]);
    const client = new MatcherClient({
      url: `${server.url}/prod`,
      signRequests: true,
      region: 'eu-west-1',
      credentials,
    });

    const answer = await client.score(request);
    await server.close();

    expect(answer).toEqual(reply);
    const [seen] = server.seen as [Seen];
    expect(seen.path).toBe('/prod/budget_expense_matcher');
    expect(seen.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    // Signing the request as received, at the time it states, gives the same signature.
    const amzDate = String(seen.headers['x-amz-date']);
    const signingDate = new Date(
      `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
    );
    const signer = new SignatureV4({
      service: 'execute-api',
      region: 'eu-west-1',
      credentials,
      sha256: Sha256,
    });
    const host = String(seen.headers.host);
    const resigned = await signer.sign(
      {
        method: seen.method,
        protocol: 'http:',
        hostname: host.split(':')[0] as string,
        port: Number(host.split(':')[1]),
        path: seen.path,
        query: {},
        headers: {
          'content-type': String(seen.headers['content-type']),
          'accept-encoding': String(seen.headers['accept-encoding']),
          host,
        },
        body: seen.body,
      },
      { signingDate },
    );
    expect(resigned.headers.authorization).toBe(seen.headers.authorization);
  });

  it('sends unsigned requests to a host outside AWS by default (the local server)', async () => {
    const server = await recordingServer([{ status: 200, body: JSON.stringify(reply) }]);
    const client = new MatcherClient({ url: server.url });

    await client.score(request);
    await server.close();

    expect(server.seen[0]?.headers.authorization).toBeUndefined();
    expect(JSON.parse(server.seen[0]?.body ?? '')).toEqual(request);
  });

  it('asks a loopback host for uncompressed replies, and any host for gzip when told to, decoding it', async () => {
    const gzipped = gzipSync(JSON.stringify(reply));
    const server = await recordingServer([
      { status: 200, body: JSON.stringify(reply) },
      { status: 200, body: gzipped, headers: { 'content-encoding': 'gzip' } },
    ]);

    const plain = await new MatcherClient({ url: server.url }).score(request);
    const compressed = await new MatcherClient({ url: server.url, compressReplies: true }).score(request);
    await server.close();

    expect(server.seen.map((s) => s.headers['accept-encoding'])).toEqual(['identity', 'gzip']);
    expect(plain).toEqual(reply);
    expect(compressed).toEqual(reply);
  });

  it('retries 429 and 503 with backoff, then returns the reply', async () => {
    const server = await recordingServer([
      { status: 429, body: '{"message":"Too Many Requests"}' },
      {
        status: 503,
        body: '{"error":{"code":"model_unavailable","message":"the model is not available right now"}}',
      },
      { status: 200, body: JSON.stringify(reply) },
    ]);
    const client = new MatcherClient({ url: server.url });

    const answer = await client.score(request);
    await server.close();

    expect(answer).toEqual(reply);
    expect(server.seen).toHaveLength(3);
  });

  it("raises a 4xx with the service's error as MatcherServiceError, status and field included, without retrying", async () => {
    const body = { error: { code: 'too_many_pairs', message: 'too many', field: 'budgets' } };
    const server = await recordingServer([{ status: 413, body: JSON.stringify(body) }]);
    const client = new MatcherClient({ url: server.url });

    const failure = client.score(request);

    await expect(failure).rejects.toBeInstanceOf(MatcherServiceError);
    await expect(failure).rejects.toMatchObject({ code: 'too_many_pairs', status: 413, field: 'budgets' });
    await server.close();
    expect(server.seen).toHaveLength(1);
  });
});
