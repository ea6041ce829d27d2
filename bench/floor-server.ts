import { createServer, type Server } from 'node:http';

/**
 * The floor server: what any Node service answering this contract must pay at least. A plain
 * `node:http` server that reads the body, `JSON.parse`s it, and `JSON.stringify`s a reply of the
 * same shape as the matcher's (one `{budget_id, itemization_id, score, match}` per pair) with a
 * constant score. Nothing else: no validation, no features, no model.
 */
export function createFloorServer(): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        budgets: Array<{ budget_id: unknown }>;
        all_user_expense_lineitems: Array<{ itemization_id: unknown }>;
      };
      const reply = [];
      for (const b of request.budgets) {
        for (const i of request.all_user_expense_lineitems) {
          reply.push({
            budget_id: String(b.budget_id),
            itemization_id: String(i.itemization_id),
            score: 0.5,
            match: false,
          });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply));
    });
  });
}

// Run as its own process by the benchmark: `node --import tsx bench/floor-server.ts PORT`.
if (require.main === module) {
  const server = createFloorServer();
  server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
    const address = server.address();
    console.log(`floor listening on ${typeof address === 'object' && address ? address.port : ''}`);
  });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}
