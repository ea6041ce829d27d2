import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { useScratch } from '../../helpers/scratch';

// Plain CommonJS, as the runtime loop loads it.
const { loadHandlerModule } = require('../../../local/lambda-runtime/handler-module.cjs') as {
  loadHandlerModule(
    base: string,
  ): Promise<{ file: string; module: { handler?: () => unknown; from?: string } }>;
};

describe('loadHandlerModule: the handler file as Lambda finds it (index.js, then .mjs, then .cjs)', () => {
  const scratch = useScratch();

  /** A task folder holding `files`, each exporting `from` = its own name. */
  const task = (files: Record<string, string>) => {
    const dir = scratch.dir('handler-module');
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  };
  const cjs = (name: string) => `exports.from = '${name}'; exports.handler = async () => '${name}';`;
  const esm = (name: string) =>
    `export const from = '${name}'; export const handler = async () => '${name}';`;

  it('takes index.js first, then index.mjs, then index.cjs', async () => {
    const all = task({ 'index.js': cjs('js'), 'index.mjs': esm('mjs'), 'index.cjs': cjs('cjs') });
    const mjs = task({ 'index.mjs': esm('mjs'), 'index.cjs': cjs('cjs') });
    const only = task({ 'index.cjs': cjs('cjs') });

    const found = await Promise.all([all, mjs, only].map((dir) => loadHandlerModule(join(dir, 'index'))));

    expect(found.map((f) => [basename(f.file), f.module.from])).toEqual([
      ['index.js', 'js'],
      ['index.mjs', 'mjs'],
      ['index.cjs', 'cjs'],
    ]);
  });

  it('waits for an ES module that awaits during its init (top-level await)', async () => {
    const dir = task({
      'index.mjs': `await new Promise((resolve) => setTimeout(resolve, 20));
export const from = 'awaited';`,
    });

    const { module } = await loadHandlerModule(join(dir, 'index'));

    expect(module.from).toBe('awaited');
  });

  it('imports index.js as an ES module when its package.json says "type": "module"', async () => {
    const dir = task({ 'index.js': esm('js as esm'), 'package.json': '{"type":"module"}' });

    const { module } = await loadHandlerModule(join(dir, 'index'));

    expect(module.from).toBe('js as esm');
  });

  it("throws Node's MODULE_NOT_FOUND when there is no such file", async () => {
    const dir = task({ 'other.js': cjs('other') });

    await expect(loadHandlerModule(join(dir, 'index'))).rejects.toMatchObject({ code: 'MODULE_NOT_FOUND' });
  });
});
