import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MAX_REPLY_BYTES, MIN_COMPRESSION_BYTES } from '../lambda/edge';
import { writeFigures } from '../scripts/figures/write-figures';
import { makeRequest, predictHandler, startCounting } from '../test/helpers/requests';
import { type PayloadSize, payloadFigures } from './payload-sizes-figures';

/**
 * `npm run bench:payloads`: the bytes of requests and replies the contract talks about (the seed,
 * the smallest reply the service compresses, 10 × 2,000, and 50 × 1,000, the most pairs
 * `MAX_PAIRS` allows), sent to the local server's HTTP route as the deployed handler answers them
 * (default limits, recording nothing): the reply as JSON and as the server gzips it for a client
 * that accepts gzip, the request as JSON and gzipped. Ids are 7-digit numbers, as in the seed.
 * Sizes, not timings. Writes its figures (`.data/figures/payload-sizes.json`) for
 * docs/contract.md.
 */
const ROOT = join(__dirname, '..');
const ROUTE = '/budget_expense_matcher';

type MatcherRequest = ReturnType<typeof makeRequest>;

/** `makeRequest`'s request with 7-digit numeric ids, as real clients send them. */
function numericIds(budgets: number, items: number): MatcherRequest {
  const request = makeRequest({ budgets, items });
  request.budgets.forEach((b, i) => {
    b.budget_id = String(3_000_000 + i);
  });
  request.all_user_expense_lineitems.forEach((item, i) => {
    item.itemization_id = String(4_000_000 + i);
  });
  return request;
}

/** POSTs `body`; the reply's bytes as they came over the wire, and their encoding. */
function post(url: string, body: string, gzip: boolean): Promise<{ bytes: number; encoding?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${ROUTE}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-encoding': gzip ? 'gzip' : 'identity' },
      },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`${ROUTE} answered ${res.statusCode}`));
          else
            resolve({
              bytes,
              ...(res.headers['content-encoding'] ? { encoding: res.headers['content-encoding'] } : {}),
            });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const server = await startCounting(predictHandler());
  try {
    const seed = JSON.parse(
      readFileSync(join(ROOT, 'events', 'seed-request.json'), 'utf8'),
    ) as MatcherRequest;
    const requests: { name: string; request: MatcherRequest }[] = [
      { name: 'seed (events/seed-request.json)', request: seed },
    ];
    // The fewest line items for one budget whose reply the service compresses.
    for (let items = 1; items <= 200; items++) {
      const request = numericIds(1, items);
      const plain = await post(server.url, JSON.stringify(request), false);
      if (plain.bytes >= MIN_COMPRESSION_BYTES) {
        requests.push({ name: `1 × ${items}: the fewest pairs compressed`, request });
        break;
      }
    }
    requests.push({ name: '10 × 2,000', request: numericIds(10, 2000) });
    requests.push({ name: '50 × 1,000: MAX_PAIRS', request: numericIds(50, 1000) });

    const sizes: PayloadSize[] = [];
    for (const { name, request } of requests) {
      const body = JSON.stringify(request);
      const plain = await post(server.url, body, false);
      const zipped = await post(server.url, body, true);
      sizes.push({
        request: name,
        pairs: request.budgets.length * request.all_user_expense_lineitems.length,
        requestBytes: Buffer.byteLength(body),
        requestGzipBytes: gzipSync(body).length,
        replyBytes: plain.bytes,
        replyGzipBytes: zipped.encoding === 'gzip' ? zipped.bytes : null,
      });
    }
    const figures = payloadFigures({
      minCompressionBytes: MIN_COMPRESSION_BYTES,
      maxReplyBytes: MAX_REPLY_BYTES,
      sizes,
    });
    for (const row of figures.tables?.[0]?.rows ?? []) console.log(row.join('  '));
    console.log(`figures: ${writeFigures('payload-sizes', figures)}`);
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
