import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { type BenchReport, benchFigures, invokeFigures } from '../../bench/bench-figures';
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

  it('npm run bench: each target beside its reference, with its verdict, and the stages', () => {
    const input = benchFigures(benchReport());

    const targets = input.tables?.find((t) => t.id === 'targets')?.rows ?? [];
    const row = (figure: string) => targets.find((r) => String(r[0]).startsWith(figure));
    expect(input.command).toBe('npm run bench');
    expect(row('10×2,000 over HTTP')).toEqual([
      '10×2,000 over HTTP, local server, recording off',
      '600,000 pairs/s',
      'floor server 1,000,000 pairs/s',
      '0.60×',
      '≥ 0.5×',
      'met',
    ]);
    expect(row('1×1 over HTTP, p50')?.slice(3)).toEqual(['1.60×', '≤ 1.5×', '**not met**']);
    expect(row('20,000 pairs in-process, CPU')?.slice(1, 4)).toEqual([
      '12.0 ms',
      'JSON.parse + JSON.stringify 6.0 ms',
      '2.00×',
    ]);
    expect(row('cold start')?.[5]).toBe('met');
    expect(input.tables?.find((t) => t.id === 'stages')?.rows).toEqual([
      ['json parse', 1, '(native, kept)', ''],
      ['reply', 2, 4, '2.0×'],
    ]);
    expect(input.notes?.[0]).toContain('Load average [1,2,3] at the start, [4,5,6] at the end');
  });

  it('npm run bench:invoke: the targets of issue 17 and every latency', () => {
    const warm = (p50_ms: number) => ({ p50_ms, p99_ms: 2 * p50_ms, runs: 1000 });
    const server = (p50: number, mb: number) => ({
      seed_sdk_invoke_warm: warm(p50),
      pairs_20000_sdk_invoke: warm(30),
      max_memory_used_10x2000_mb: mb,
      memory_size_mb: 1024,
    });

    const input = invokeFigures({
      date: '2026-12-02T00:00:00.000Z',
      machine: { load_average_1m: 3.5 },
      load_average_at_end_1m: 4,
      in_process: { seed_sdk_invoke: warm(0.9) },
      start_lambda: {
        node: 'v24.22.3',
        recorded: server(2.5, 290),
        not_recorded: server(1.1, 190),
        init_duration_ms: { median: 80, max: 95 },
        init_duration_empty_function_ms: { median: 30 },
      },
    });

    const targets = input.tables?.find((t) => t.id === 'targets')?.rows ?? [];
    expect(targets.map((r) => r[4])).toEqual(['**not met**', 'met', 'met', '**not met**']);
    expect(targets[2]?.[1]).toBe('80.0 ms (max 95.0)');
    expect(input.tables?.find((t) => t.id === 'latency')?.rows).toContainEqual([
      'start:lambda (not recorded): seed sdk invoke warm',
      1.1,
      2.2,
      1000,
    ]);
    expect(input.notes?.[0]).toContain('3.50 at the start, 4.00 at the end');
  });

  it("npm run bench:invoke: says how many calls came before the warm figures, and the fresh server's first calls beside them", () => {
    const latency = (p50_ms: number, runs = 1000) => ({ p50_ms, p99_ms: 2 * p50_ms, runs });
    const server = (warm: number, fresh: number) => ({
      seed_sdk_invoke_warm: latency(warm),
      seed_warmup_calls: 2000,
      seed_sdk_invoke_fresh: latency(fresh),
      pairs_20000_sdk_invoke: latency(30, 10),
      max_memory_used_10x2000_mb: 160,
      memory_size_mb: 1024,
    });

    const input = invokeFigures({
      date: '2026-12-03T00:00:00.000Z',
      machine: { load_average_1m: 1.5 },
      load_average_at_end_1m: 1.5,
      in_process: { seed_sdk_invoke: latency(1.1) },
      start_lambda: {
        node: 'v24.22.3',
        recorded: server(1.8, 2.6),
        recorded_with_caller: server(2.1, 3),
        not_recorded: server(1, 1.4),
        init_duration_ms: { median: 70, max: 75 },
        init_duration_empty_function_ms: { median: 30 },
      },
    });

    const latencyRows = input.tables?.find((t) => t.id === 'latency')?.rows ?? [];
    expect(latencyRows).toContainEqual([
      'start:lambda (recorded, after the reply): seed sdk invoke warm, after 2,000 calls',
      1.8,
      3.6,
      1000,
    ]);
    expect(latencyRows).toContainEqual([
      'start:lambda (recorded, after the reply): seed sdk invoke, the first 1,000 calls of a fresh server',
      2.6,
      5.2,
      1000,
    ]);
    expect(latencyRows.map((r) => r[0])).toContain(
      "start:lambda (recorded, after the reply, start:lambda in the caller's process): seed sdk invoke warm, after 2,000 calls",
    );
    const targets = input.tables?.find((t) => t.id === 'targets')?.rows ?? [];
    expect(targets[0]?.[0]).toMatch(/recorded \(as deployed: .*\), after 2,000 calls$/);
    expect(targets[0]?.[2]).toContain("start:lambda in the caller's process 2.100 ms");
    expect(targets[0]?.[2]).toContain('its first 1,000 calls 2.600 ms');
    expect(targets[0]?.[2]).toContain("npm start's Invoke API (after 100 calls) 1.100 ms");
    expect(targets[1]).toEqual([
      'warm invoke of the seed request, p50, not recorded, after 2,000 calls',
      '1.000 ms',
      'its first 1,000 calls 1.400 ms',
      '≤ 2 ms',
      'met',
    ]);
  });
});

/** A whole `npm run bench` report with round figures. */
function benchReport(): BenchReport {
  const latency = { p50_ms: 0.02, p99_ms: 0.08, p99_over_p50: 4, runs: 5000 };
  return {
    measured_at: '2026-12-02T00:00:00.000Z',
    machine: { load_average_at_start: [1, 2, 3], load_average_at_end: [4, 5, 6] },
    scale: 1,
    backend: 'wasm',
    in_process: {
      backend: 'none',
      engine: 'dense',
      model_version: 'v1',
      seed_1x1: {
        api_gateway: latency,
        invoke: latency,
        reference_json_parse_stringify: { p50_ms: 0.002, p99_ms: 0.003 },
      },
      pairs_20000: {
        handler_ms: 15,
        pairs_per_second: 1_333_333,
        reference_json_parse_stringify_ms: 5,
        ratio_to_reference: 3,
        cpu: { handler_ms: 12, reference_json_parse_stringify_ms: 6, ratio_to_reference: 2 },
        body_bytes: 642_233,
        reply_bytes: 1_485_136,
        stages_median_ms: { json_parse: { now: 1 }, reply: { now: 2, before: 4 } },
      },
      big_2x16666: { body_bytes: 5_324_193, handler_ms: 60, cpu_ms: 50, per_item_us: 3.6 },
      limit_50x1000: { handler_ms: 40 },
      gzip_reply_20000: {
        reply_bytes: 1_485_136,
        gzip6_bytes: 58_000,
        gzip6_ms: 4,
        gzip1_bytes: 63_000,
        gzip1_ms: 2,
        scoring_ms: 15,
      },
      gzip_by_reply_size: {
        rows: [{ pairs: 30, reply_bytes: 2228, gzip_bytes: 181, saved_bytes: 2047, gzip_us: 14 }],
        first_saving_a_tcp_segment: { pairs: 30, reply_bytes: 2228 },
      },
    },
    profile_20000: {
      calls: 150,
      mean_ms: 20,
      total_ms: 3000,
      by_file: [{ file: 'lambda/model/dense-forward.ts', ms: 900, share: 0.3 }],
      top_functions: [],
    },
    http: {
      seed_1x1: {
        runs: 3000,
        floor: { p50_ms: 0.1, p99_ms: 2 },
        server: { p50_ms: 0.16, p99_ms: 2.5 },
        p50_ratio_to_floor: 1.6,
      },
      pairs_10x2000: {
        floor: { pairs_per_second: 1_000_000 },
        server: { pairs_per_second: 600_000 },
        ratio_to_floor: 0.6,
      },
      gzip_10x2000: {
        request_bytes: 642_233,
        request_gzip_bytes: 18_189,
        reply_bytes_plain: 1_485_136,
        reply_bytes_gzip: 63_382,
        plain_ms: 20,
        gzip_ms: 24,
      },
    },
    cold_start: {
      runs: 7,
      backend: 'wasm',
      node_boot_ms: 18,
      require_ms: 50,
      first_reply_ms: 10,
      to_first_reply_ms: 60,
      wall_ms: 120,
      rss_mb: 60,
      reference_bare_node_wall_ms: 70,
      reference_tfjs: {
        runs: 7,
        backend: 'wasm',
        node_boot_ms: 18,
        require_ms: 100,
        first_reply_ms: 20,
        to_first_reply_ms: 120,
        wall_ms: 180,
        rss_mb: 90,
      },
    },
  };
}

describe('renderDoc and prose', () => {
  it('leaves a marker quoted inside a sentence alone', () => {
    const text = 'put a `<!-- figures:bench -->` block here\n';
    expect(renderDoc(text, new Map(), 'x.md')).toEqual({ text, blocks: [] });
  });
});
