import { Agent, request } from 'node:http';

/** What one request cost, as the client saw it. */
export interface Sample {
  readonly ms: number;
  readonly bytes: number;
  readonly status: number;
}

/**
 * One keep-alive HTTP client for every server the benchmark compares, so the client's own cost
 * is the same on both sides. Replies are counted, never parsed.
 */
export class BenchClient {
  private readonly agent: Agent;

  constructor(
    private readonly port: number,
    sockets = 1,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  post(path: string, body: Buffer, headers: Record<string, string> = {}): Promise<Sample> {
    return new Promise((resolve, reject) => {
      const start = process.hrtime.bigint();
      const req = request(
        {
          host: '127.0.0.1',
          port: this.port,
          method: 'POST',
          path,
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers },
        },
        (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
          });
          res.on('end', () =>
            resolve({
              ms: Number(process.hrtime.bigint() - start) / 1e6,
              bytes,
              status: res.statusCode ?? 0,
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Sends `body` from `concurrency` loops for `ms` milliseconds; every reply must be a 200. */
export async function load(
  client: BenchClient,
  path: string,
  body: Buffer,
  concurrency: number,
  ms: number,
  headers: Record<string, string> = {},
): Promise<{ requests: number; seconds: number; bytes: number }> {
  const start = performance.now();
  let requests = 0;
  let bytes = 0;
  const loop = async () => {
    while (performance.now() - start < ms) {
      const s = await client.post(path, body, headers);
      if (s.status !== 200) throw new Error(`expected 200, got ${s.status}`);
      requests++;
      bytes += s.bytes;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { requests, seconds: (performance.now() - start) / 1000, bytes };
}
