import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipDirectory } from '../../layers';
import { invokeInLambdaLayout, LayoutError } from '../../scripts/lambda-layout';
import { useScratch } from '../helpers/scratch';

const scratch = useScratch();

/** Writes `files` under a fresh directory and zips it; returns the zip's path. */
async function zipOf(files: Record<string, string>): Promise<string> {
  const dir = scratch.dir('layout-src');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const zip = join(scratch.dir('layout-zip'), 'out.zip');
  await zipDirectory(dir, zip);
  return zip;
}

const layer = () =>
  zipOf({ 'nodejs/node_modules/greeting/index.js': "exports.greet = (n) => 'hello ' + n;" });

describe('invokeInLambdaLayout', () => {
  it('loads the handler from the task directory with the layer on NODE_PATH and invokes it per event', async () => {
    const functionZip = await zipOf({
      'index.js': `const { greet } = require('greeting');
        exports.handler = async (event, context) => ({
          text: greet(event.name), cwd: process.cwd(), request: context.awsRequestId,
        });`,
    });

    const { replies, loadMs, firstReplyMs } = await invokeInLambdaLayout({
      functionZip,
      layerZips: [await layer()],
      events: { a: { name: 'a' }, b: { name: 'b' } },
    });

    expect(Object.keys(replies)).toEqual(['a', 'b']);
    expect(replies.a).toEqual({
      text: 'hello a',
      cwd: expect.stringMatching(/lambda-layout-.*\/task$/),
      request: 'layout-check-a',
    });
    expect(loadMs).toEqual(expect.any(Number));
    expect(firstReplyMs).toEqual(expect.any(Number));
  });

  it('fails with "Cannot find module" when the layer lacks a package the function needs', async () => {
    const functionZip = await zipOf({
      'index.js': "const { greet } = require('greeting'); exports.handler = async () => greet('x');",
    });
    const emptyLayer = await zipOf({ 'nodejs/node_modules/other/index.js': '' });

    await expect(invokeInLambdaLayout({ functionZip, layerZips: [emptyLayer], events: {} })).rejects.toThrow(
      /Cannot find module 'greeting'/,
    );
  });

  it("does not reach the project's node_modules", async () => {
    // zod is installed in this project, so only an isolated layout fails to find it.
    const functionZip = await zipOf({ 'index.js': "require('zod'); exports.handler = async () => 1;" });

    await expect(
      invokeInLambdaLayout({ functionZip, layerZips: [await layer()], events: {} }),
    ).rejects.toBeInstanceOf(LayoutError);
  });

  it('fails when index.js exports no handler', async () => {
    const functionZip = await zipOf({ 'index.js': 'exports.main = async () => 1;' });

    await expect(invokeInLambdaLayout({ functionZip, layerZips: [], events: {} })).rejects.toThrow(
      /does not export a handler/,
    );
  });

  it('passes the given environment and no other of ours', async () => {
    process.env.LAYOUT_TEST_LEAK = 'leaked';
    const functionZip = await zipOf({
      'index.js': 'exports.handler = async () => [process.env.TFJS_BACKEND, process.env.LAYOUT_TEST_LEAK];',
    });

    const { replies } = await invokeInLambdaLayout({
      functionZip,
      layerZips: [],
      events: { e: {} },
      env: { TFJS_BACKEND: 'wasm' },
    });

    expect(replies.e).toEqual(['wasm', null]);
  });
});
