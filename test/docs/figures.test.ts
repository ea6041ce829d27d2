import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { benchFigures } from '../../bench/bench-figures';
import { docFiles, readSnapshots } from '../../scripts/docs-figures';
import { type FiguresFile, parseFiguresFile } from '../../scripts/figures/figures-file';
import { renderDoc, renderTable } from '../../scripts/figures/render-figures';
import { sizeFigures } from '../../scripts/figures/size-figures';
import { writeFigures } from '../../scripts/figures/write-figures';
import { useScratch } from '../helpers/scratch';

const scratch = useScratch();

const ROOT = resolve(__dirname, '..', '..');

describe('the docs and their figures snapshots (docs/figures/)', () => {
  const snapshots = readSnapshots();

  it.each(docFiles().map((p) => [relative(ROOT, p), p]))(
    '%s: every figures block is what its snapshot renders',
    (_name, path) => {
      const text = readFileSync(path, 'utf8');
      const doc = renderDoc(text, snapshots, relative(ROOT, path));
      // On a failure: run `npm run docs:figures` and commit what it rendered.
      expect(doc.text).toBe(text);
    },
  );

  it('every snapshot is stamped with its date, machine and Node version', () => {
    for (const file of snapshots.values()) {
      expect(Date.parse(file.date)).not.toBeNaN();
      expect(file.machine.cores).toBeGreaterThan(0);
      expect(file.node).toMatch(/^v\d+/);
    }
  });
});

describe('writeFigures', () => {
  let dir: string;
  beforeEach(() => {
    dir = scratch.dir('figures');
  });

  it('writes a file the docs can render, stamped with the date, machine and Node version', () => {
    const path = writeFigures(
      'demo',
      {
        command: 'npm run demo',
        figures: { p50: 1.5 },
        tables: [{ columns: ['a', 'b'], rows: [['x', 1234.5]] }],
      },
      dir,
    );
    expect(path).toBe(join(dir, 'demo.json'));
    const file = parseFiguresFile(readFileSync(path, 'utf8'), path);
    expect(file).toMatchObject({ name: 'demo', command: 'npm run demo', node: process.version });
    expect(Date.now() - Date.parse(file.date)).toBeLessThan(60_000);
    expect(file.machine.cpu).not.toBe('');
    expect(file.figures).toEqual({ p50: 1.5 });
  });

  it('refuses a name that cannot be a file name or a block marker', () => {
    expect(() => writeFigures('../x', { command: 'c' }, dir)).toThrow(/figures name/);
  });
});

describe('renderDoc', () => {
  const file: FiguresFile = {
    name: 'demo',
    command: 'npm run demo',
    date: '2026-12-01T10:00:00.000Z',
    machine: { cpu: 'Some CPU', cores: 2, memory_gib: 24, os: 'linux x64' },
    node: 'v20.20.0',
    figures: {},
    tables: [
      { id: 'one', columns: ['backend', 'ms'], rows: [['wasm', 1234.5678]] },
      { id: 'two', title: 'Second', columns: ['x'], rows: [[null]] },
    ],
    notes: ['A note.'],
  };
  const files = new Map([['demo', file]]);

  it('replaces what is between the markers and nothing else', () => {
    const text = 'before\n<!-- figures:demo#one -->\nstale\n<!-- /figures:demo#one -->\nafter\n';
    const doc = renderDoc(text, files, 'x.md');
    expect(doc.blocks).toEqual(['demo#one']);
    expect(doc.text).toBe(
      'before\n<!-- figures:demo#one -->\n' +
        '*Measured 2026-12-01 by `npm run demo` on Some CPU (2 cores, 24 GiB, linux x64), Node v20.20.0.*\n\n' +
        '| backend | ms |\n|---|---:|\n| wasm | 1,234.5678 |\n' +
        '<!-- /figures:demo#one -->\nafter\n',
    );
  });

  it('renders every table and the notes for a block without a table id', () => {
    const doc = renderDoc('<!-- figures:demo -->\n<!-- /figures:demo -->', files, 'x.md');
    expect(doc.text).toContain('| wasm | 1,234.5678 |');
    expect(doc.text).toContain('Second\n\n| x |\n|---:|\n| — |');
    expect(doc.text).toContain('A note.');
  });

  it('names the document and the block when a snapshot or a table is missing', () => {
    expect(() => renderDoc('<!-- figures:nope -->\n<!-- /figures:nope -->', files, 'a.md')).toThrow(
      'a.md: figures:nope has no docs/figures/nope.json',
    );
    expect(() =>
      renderDoc('<!-- figures:demo#three -->\n<!-- /figures:demo#three -->', files, 'a.md'),
    ).toThrow(/no table "three"/);
    expect(() => renderDoc('<!-- figures:demo -->\nno end', files, 'a.md')).toThrow(/without its closing/);
  });

  it('escapes pipes in cells', () => {
    expect(renderTable({ columns: ['a'], rows: [['x | y']] })).toContain('x \\| y');
  });
});

describe('the commands’ figures', () => {
  it('npm run build: one row per artifact, package names without their node_modules path', () => {
    const input = sizeFigures([
      {
        name: 'predict',
        kind: 'function',
        unzippedBytes: 2048,
        zippedBytes: 1024,
        biggest: [{ path: '../../x/node_modules/@smithy/core', bytes: 1024 }],
      },
      { name: 'layer', kind: 'layer', unzippedBytes: 3 * 1024 * 1024, zippedBytes: 1024 * 1024, biggest: [] },
    ]);
    expect(input.command).toBe('npm run build');
    expect(input.tables?.[0]?.rows).toEqual([
      ['predict', '2.0 KB', '1.0 KB', '@smithy/core 1.0 KB'],
      ['layer', '3.0 MB', '1.0 MB', ''],
      ['predict + layer', '3.0 MB of 250.0 MB', null, ''],
    ]);
  });

  it('npm run bench: one row per backend from the report, unknown fields as —', () => {
    const input = benchFigures({
      bundle_bytes: 1000,
      results: [
        {
          backend: 'wasm',
          seed_invoke: { p50_ms: 0.0684, p99_ms: 3.61 },
          seed_api_gateway: { p50_ms: 0.0812 },
          throughput: {
            median_ms: 30.24,
            pairs_per_second: 662707,
            phases_median_ms: { parse: 7.04, features: 11.8, score: 4.9, reply: 4.5 },
            reference_json_parse_stringify_ms: 4.6,
          },
          cold_start: { wall_ms: 173.4 },
        },
        { backend: 'cpu' },
      ],
    });
    expect(input.tables?.[0]?.rows).toEqual([
      ['wasm', 0.068, 3.61, 0.081, 30.2, 662707, '7.0 / 11.8 / 4.9 / 4.5', 4.6, 173],
      ['cpu', null, null, null, null, null, '? / ? / ? / ?', null, null],
    ]);
  });
});

describe('renderDoc and prose', () => {
  it('leaves a marker quoted inside a sentence alone', () => {
    const text = 'put a `<!-- figures:bench -->` block here\n';
    expect(renderDoc(text, new Map(), 'x.md')).toEqual({ text, blocks: [] });
  });
});
