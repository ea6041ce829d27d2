import { type ChildProcess, spawn } from 'node:child_process';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SqsClient } from '../lambda/results/sqs-client';

/** CPU of one `SendMessageBatch` call, client side, for each client, measured in turns in one process. */
export interface SqsSendCpuFigures {
  /** The AWS SDK's `SQSClient` with `SendMessageBatchCommand` (what the predict function used before). */
  readonly sdk_client_us: number;
  /** `lambda/results/sqs-client.ts`: the JSON protocol by hand, signed by `lambda/results/sigv4.ts`. */
  readonly signer_client_us: number;
  /** Calls of each client measured. */
  readonly calls: number;
  /** Bytes of the one message each call carries (a seed request's rows). */
  readonly body_bytes: number;
  readonly node: string;
}

// The queue, in a process of its own so that its CPU is not counted: it answers every
// SendMessageBatch with every entry taken (the MD5s the SDK checks included).
const QUEUE = `
const { createServer } = require('node:http');
const { createHash } = require('node:crypto');
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const Successful = input.Entries.map((e) => ({ Id: e.Id, MessageId: e.Id,
      MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex') }));
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(JSON.stringify({ Successful, Failed: [] }));
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

/**
 * `npm run bench:invoke`'s measure of why the predict function does not send with the SDK's
 * client: process CPU (user + system) per call, the two clients taking turns in rounds of
 * `perRound` calls so that load changes on the machine hit both alike, against a loopback queue
 * in another process. The body is one message of a seed request's rows, as the predict function
 * sends after a seed reply.
 */
export async function measureSqsSendCpu(rounds = 10, perRound = 100): Promise<SqsSendCpuFigures> {
  const queue = spawn(process.execPath, ['-e', QUEUE], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await firstLine(queue);
    const queueUrl = `http://127.0.0.1:${port}/000000000000/results`;
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const sdk = new SQSClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials });
    const own = new SqsClient({ region: 'us-east-1', credentials });
    const body = JSON.stringify({
      kind: 'pairs',
      pairs: [
        {
          request_id: '00000000-0000-4000-8000-000000000000',
          model_version: '2026-12-02T120113Z',
          role: 'live',
          threshold: 0.456182,
          budgets: ['309366'],
          items: ['4659496'],
          scores: [0.000012],
          scored_at: new Date().toISOString(),
        },
      ],
    });
    const input = { QueueUrl: queueUrl, Entries: [{ Id: '0', MessageBody: body }] };
    const clients = {
      sdk: () => sdk.send(new SendMessageBatchCommand(input)),
      own: () => own.sendMessageBatch(input),
    };
    for (const send of Object.values(clients)) for (let i = 0; i < 50; i++) await send();
    const cpu = { sdk: 0, own: 0 };
    for (let round = 0; round < rounds; round++) {
      for (const name of ['sdk', 'own'] as const) {
        const before = process.cpuUsage();
        for (let i = 0; i < perRound; i++) await clients[name]();
        const used = process.cpuUsage(before);
        cpu[name] += used.user + used.system;
      }
    }
    sdk.destroy();
    own.destroy();
    const calls = rounds * perRound;
    return {
      sdk_client_us: Math.round(cpu.sdk / calls),
      signer_client_us: Math.round(cpu.own / calls),
      calls,
      body_bytes: Buffer.byteLength(body),
      node: process.version,
    };
  } finally {
    queue.kill();
  }
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.trim());
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the loopback queue exited (${code})`)));
  });
}
