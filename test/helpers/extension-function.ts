import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { zipDirectory } from '../../layers';

/**
 * A small function with the predict function's internal extension (`lambda/results/results-extension.ts`,
 * bundled as the build bundles it), for the local Lambda runtime's tests. Its "rows" are lines
 * appended to the file `EXT_OUT` names: the handler records `event.rows` of them and returns; the
 * extension writes them after the reply, `event.afterReplyMs` later (`event.hold`: it does not, as
 * when SQS fails, so they stay held). On SIGTERM the rows still held are written, marked. Without
 * an extension (no Extensions API, or `EXT_LATE`: registered after init, refused) the handler
 * writes its rows before replying. The reply says what it saw. An ES module, `index.mjs`, registering
 * with a top-level `await` as the predict bundle does.
 */
const HANDLER = `
import fs from 'node:fs';
import { createRequire } from 'node:module';
const { registerExtension, ResultsExtension } = createRequire(import.meta.url)('./results-extension.js');
const out = process.env.EXT_OUT;
const api = process.env.AWS_LAMBDA_RUNTIME_API;
const held = [];
let afterReplyMs = 0;
let hold = false;
const sent = () => (fs.existsSync(out) ? fs.readFileSync(out, 'utf8').split('\\n').filter(Boolean).length : 0);
const write = (lines) => { if (lines.length) fs.appendFileSync(out, lines.join('\\n') + '\\n'); };
let registration = api ? undefined : { error: 'no Extensions API' };
let extension;
const startExtension = async () => {
  registration = await registerExtension(api, 'rows');
  if (!('id' in registration)) return;
  extension = new ResultsExtension({
    runtimeApi: api,
    id: registration.id,
    handoffMs: 5000,
    settle: async () => {
      if (hold) return false;
      await new Promise((resolve) => setTimeout(resolve, afterReplyMs));
      write(held.splice(0));
      return true;
    },
  });
  extension.start();
};
if (api && !process.env.EXT_LATE) await startExtension();
process.once('SIGTERM', () => {
  write(held.splice(0).map((line) => line + ' at-sigterm'));
  process.exit(0);
});
export const handler = async (event, context) => {
  if (api && process.env.EXT_LATE && registration === undefined) await startExtension();
  const sentBefore = sent();
  afterReplyMs = event.afterReplyMs ?? 0;
  hold = event.hold === true;
  for (let i = 0; i < (event.rows ?? 0); i++) held.push(context.awsRequestId + ' ' + i);
  if (!extension) write(held.splice(0));
  else extension.handlerDone(context.awsRequestId);
  return { pid: process.pid, registered: extension !== undefined, error: registration.error ?? null, sentBefore };
};
`;

/** Zips of the extension function and an empty layer, in a temporary folder. */
export async function makeExtensionFunction(): Promise<{
  functionZip: string;
  layerZip: string;
  remove: () => void;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'extension-function-'));
  const code = join(dir, 'code');
  mkdirSync(code, { recursive: true });
  mkdirSync(join(dir, 'layer', 'nodejs'), { recursive: true });
  writeFileSync(join(code, 'index.mjs'), HANDLER);
  buildSync({
    entryPoints: [join(__dirname, '../../lambda/results/results-extension.ts')],
    outfile: join(code, 'results-extension.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  writeFileSync(join(dir, 'layer', 'nodejs', 'README'), 'empty layer');
  const functionZip = join(dir, 'function.zip');
  const layerZip = join(dir, 'layer.zip');
  await zipDirectory(code, functionZip);
  await zipDirectory(join(dir, 'layer'), layerZip);
  return { functionZip, layerZip, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
