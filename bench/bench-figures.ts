import type { FiguresInput, FiguresTable } from '../scripts/figures/figures-file';
import type { ColdStart } from './cold-start';
import type { ProfileSummary } from './cpu-profile';

/** A stage of the 20,000-pair request: now, and the code it replaced where there is one. */
export interface Stage {
  readonly now: number;
  readonly before?: number;
}

/** One 1 × 1 latency of `bench/in-process.ts`; older files have no collection counts. */
interface SeedLatency {
  p50_ms: number;
  p99_ms: number;
  p99_over_p50: number;
  at_p99?: number;
  at_p99_with_gc?: number;
}

/** What `bench/in-process.ts` prints (one core, recording off). */
export interface InProcessFigures {
  readonly backend: string;
  readonly engine: string;
  readonly model_version: string;
  readonly seed_1x1: {
    readonly api_gateway: SeedLatency & { runs: number };
    readonly invoke: SeedLatency;
    /** Timed the same way, interleaved with the handler's calls (older files: no ratio). */
    readonly reference_json_parse_stringify: { p50_ms: number; p99_ms: number; p99_over_p50?: number };
    /**
     * A pure arithmetic loop about as long as the handler's p50, timed in the same turns: the
     * tail the machine alone adds (older files: none).
     */
    readonly reference_spin?: SeedLatency & { turns: number };
    /** Heap growth a call between collections: the garbage a call leaves (older files: none). */
    readonly heap_bytes_per_call?: {
      readonly api_gateway: number;
      readonly invoke: number;
      readonly reference_json_parse_stringify: number;
    };
    /** V8's collections during the timed turns (older files: none). */
    readonly collections?: { scavenges: number; other: number; turns: number };
  };
  readonly pairs_20000: {
    readonly handler_ms: number;
    readonly pairs_per_second: number;
    readonly reference_json_parse_stringify_ms: number;
    readonly ratio_to_reference: number;
    readonly cpu: {
      handler_ms: number;
      reference_json_parse_stringify_ms: number;
      ratio_to_reference: number;
    };
    readonly body_bytes: number;
    readonly reply_bytes: number;
    readonly stages_median_ms: Readonly<Record<string, Stage>>;
  };
  readonly big_2x16666: { body_bytes: number; handler_ms: number; cpu_ms: number; per_item_us: number };
  readonly limit_50x1000: { handler_ms: number };
  readonly gzip_reply_20000: {
    reply_bytes: number;
    gzip6_bytes: number;
    gzip6_ms: number;
    gzip1_bytes: number;
    gzip1_ms: number;
    scoring_ms: number;
  };
  readonly gzip_by_reply_size: {
    readonly rows: ReadonlyArray<{
      pairs: number;
      reply_bytes: number;
      gzip_bytes: number;
      saved_bytes: number;
      gzip_us: number;
    }>;
    readonly first_saving_a_tcp_segment: { pairs: number; reply_bytes: number } | null;
  };
}

/** The CPU profile of the 20,000-pair request (`bench/profile-pairs.ts`). */
export type PairsProfile = { readonly calls: number; readonly mean_ms: number } & ProfileSummary;

/** What the HTTP part of `npm run bench` measures, the local server beside the floor server. */
export interface HttpFigures {
  readonly seed_1x1: {
    readonly runs: number;
    readonly floor: { p50_ms: number; p99_ms: number };
    readonly server: { p50_ms: number; p99_ms: number };
    readonly p50_ratio_to_floor: number;
  };
  /** The 1 × 1 again, in alternating runs of `run_length` requests a side (older snapshots: none). */
  readonly seed_1x1_runs?: {
    readonly run_length: number;
    /** Requests a server, over all its runs. */
    readonly requests: number;
    readonly floor: { p50_ms: number };
    readonly server: { p50_ms: number };
    readonly p50_ratio_to_floor: number;
  };
  readonly pairs_10x2000: {
    readonly floor: { pairs_per_second: number };
    readonly server: { pairs_per_second: number };
    readonly ratio_to_floor: number;
  };
  readonly gzip_10x2000: {
    request_bytes: number;
    request_gzip_bytes: number;
    reply_bytes_plain: number;
    reply_bytes_gzip: number;
    plain_ms: number;
    gzip_ms: number;
  };
}

/** `npm run bench`'s whole report, as `.data/bench/<time>.json` holds it. */
export interface BenchReport {
  readonly measured_at: string;
  readonly machine: {
    readonly load_average_at_start: readonly number[];
    readonly load_average_at_end: readonly number[];
  } & Record<string, unknown>;
  readonly scale: number;
  readonly backend: string;
  readonly in_process: InProcessFigures;
  readonly profile_20000: PairsProfile;
  readonly http: HttpFigures;
  readonly cold_start: ColdStart & {
    readonly reference_bare_node_wall_ms: number;
    /** The same zips with `SCORING_ENGINE=tfjs`: TF.js and its backend loaded at init. */
    readonly reference_tfjs: ColdStart;
  };
}

const r2 = (n: number) => Number(n.toFixed(2));
const r3 = (n: number) => Number(n.toFixed(3));
const r1 = (n: number) => Number(n.toFixed(1));
const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
const times = (n: number) => `${n.toFixed(2)}×`;

/**
 * `npm run bench`'s report as a figures file (`bench`): every target beside its reference from
 * the same run, the stages of the 20,000-pair request, where its CPU time goes, and gzip. What
 * `.data/bench/latest.md` shows and what docs/benchmarks.md renders (`npm run docs:figures`).
 */
export function benchFigures(r: BenchReport): FiguresInput {
  const ip = r.in_process;
  const p = ip.pairs_20000;
  const h = r.http;
  const c = r.cold_start;
  const targets: FiguresTable = {
    id: 'targets',
    title: 'Targets, each beside its reference from the same run',
    columns: ['figure', 'measured', 'reference (same run)', 'ratio', 'target', ''],
    rows: [
      [
        '10×2,000 over HTTP, local server, recording off',
        `${h.pairs_10x2000.server.pairs_per_second.toLocaleString('en-US')} pairs/s`,
        `floor server ${h.pairs_10x2000.floor.pairs_per_second.toLocaleString('en-US')} pairs/s`,
        times(h.pairs_10x2000.ratio_to_floor),
        '≥ 0.5×',
        verdict(h.pairs_10x2000.ratio_to_floor >= 0.5),
      ],
      [
        '1×1 over HTTP, p50',
        `${h.seed_1x1.server.p50_ms.toFixed(3)} ms`,
        `floor ${h.seed_1x1.floor.p50_ms.toFixed(3)} ms`,
        times(h.seed_1x1.p50_ratio_to_floor),
        '≤ 1.5×',
        verdict(h.seed_1x1.p50_ratio_to_floor <= 1.5),
      ],
      ...(h.seed_1x1_runs
        ? [
            [
              `1×1 over HTTP, p50, in alternating runs of ${h.seed_1x1_runs.run_length.toLocaleString('en-US')} requests (above: one request each in turn)`,
              `${h.seed_1x1_runs.server.p50_ms.toFixed(3)} ms`,
              `floor ${h.seed_1x1_runs.floor.p50_ms.toFixed(3)} ms`,
              times(h.seed_1x1_runs.p50_ratio_to_floor),
              '≤ 1.5×',
              verdict(h.seed_1x1_runs.p50_ratio_to_floor <= 1.5),
            ],
          ]
        : []),
      [
        '1×1 over HTTP, p99',
        `${h.seed_1x1.server.p99_ms.toFixed(3)} ms`,
        `floor ${h.seed_1x1.floor.p99_ms.toFixed(3)} ms`,
        times(h.seed_1x1.server.p99_ms / h.seed_1x1.floor.p99_ms),
        '≤ 3 ms',
        verdict(h.seed_1x1.server.p99_ms <= 3),
      ],
      [
        '20,000 pairs in-process (10×2,000, API Gateway event), wall time',
        `${p.handler_ms.toFixed(1)} ms (${p.pairs_per_second.toLocaleString('en-US')} pairs/s)`,
        `JSON.parse + JSON.stringify ${p.reference_json_parse_stringify_ms.toFixed(1)} ms`,
        times(p.ratio_to_reference),
        '≤ 2.5×',
        verdict(p.ratio_to_reference <= 2.5),
      ],
      [
        '20,000 pairs in-process, CPU time (no waiting for a core)',
        `${p.cpu.handler_ms.toFixed(1)} ms`,
        `JSON.parse + JSON.stringify ${p.cpu.reference_json_parse_stringify_ms.toFixed(1)} ms`,
        times(p.cpu.ratio_to_reference),
        '≤ 2.5×',
        verdict(p.cpu.ratio_to_reference <= 2.5),
      ],
      [
        '1×1 in-process (API Gateway event), p50',
        `${ip.seed_1x1.api_gateway.p50_ms.toFixed(4)} ms`,
        `JSON parse+stringify ${ip.seed_1x1.reference_json_parse_stringify.p50_ms.toFixed(4)} ms`,
        '',
        '≤ 0.1 ms',
        verdict(ip.seed_1x1.api_gateway.p50_ms <= 0.1),
      ],
      [
        '1×1 in-process (API Gateway event), p99',
        `${ip.seed_1x1.api_gateway.p99_ms.toFixed(4)} ms`,
        ip.seed_1x1.reference_json_parse_stringify.p99_over_p50 === undefined
          ? 'its p50'
          : `its p50 (JSON parse+stringify: p99 ${ip.seed_1x1.reference_json_parse_stringify.p99_ms.toFixed(4)} ms, ${ip.seed_1x1.reference_json_parse_stringify.p99_over_p50.toFixed(1)}× its p50${spinText(ip.seed_1x1.reference_spin)})`,
        `${ip.seed_1x1.api_gateway.p99_over_p50.toFixed(1)}× p50`,
        '≤ 0.5 ms, ≤ 5× p50',
        `${verdict(ip.seed_1x1.api_gateway.p99_ms <= 0.5)} / ${verdict(ip.seed_1x1.api_gateway.p99_over_p50 <= 5)}`,
      ],
      [
        '1×1 in-process (direct invoke), p50 / p99',
        `${ip.seed_1x1.invoke.p50_ms.toFixed(4)} / ${ip.seed_1x1.invoke.p99_ms.toFixed(4)} ms`,
        '',
        `${ip.seed_1x1.invoke.p99_over_p50.toFixed(1)}× p50`,
        'as above',
        '',
      ],
      [
        `2 budgets × 16,666 items in-process (${(ip.big_2x16666.body_bytes / 1e6).toFixed(1)} MB)`,
        `${ip.big_2x16666.handler_ms.toFixed(1)} ms (CPU ${ip.big_2x16666.cpu_ms.toFixed(1)} ms)`,
        `20,000 pairs: ${p.handler_ms.toFixed(1)} ms`,
        '',
        '≤ 300 ms',
        verdict(ip.big_2x16666.handler_ms <= 300),
      ],
      [
        '50 × 1,000 in-process (50,000 pairs, the limit)',
        `${ip.limit_50x1000.handler_ms.toFixed(1)} ms`,
        '',
        '',
        'fits MAX_PAIRS',
        'met',
      ],
      [
        'cold start, built zips in the Lambda layout, require + first reply (as deployed: TF.js not loaded)',
        `${c.to_first_reply_ms.toFixed(0)} ms (require ${c.require_ms.toFixed(0)}, first reply ${c.first_reply_ms.toFixed(0)}; process wall ${c.wall_ms.toFixed(0)}; RSS ${c.rss_mb.toFixed(0)} MB)`,
        `the same zips with SCORING_ENGINE=tfjs ${c.reference_tfjs.to_first_reply_ms.toFixed(0)} ms (require ${c.reference_tfjs.require_ms.toFixed(0)}, first reply ${c.reference_tfjs.first_reply_ms.toFixed(0)}; RSS ${c.reference_tfjs.rss_mb.toFixed(0)} MB); bare \`node -e 0\` wall ${c.reference_bare_node_wall_ms.toFixed(0)} ms`,
        `${(c.to_first_reply_ms / c.reference_tfjs.to_first_reply_ms).toFixed(2)}× (TF.js)`,
        '≤ 250 ms',
        verdict(c.to_first_reply_ms <= 250),
      ],
      ...(c.first_block_ms === undefined || c.second_block_ms === undefined
        ? []
        : [
            [
              'then, in the same fresh process, the first 2×20 request (compiles the WebAssembly kernel of the dense pass, made on first use)',
              `${c.first_block_ms.toFixed(1)} ms`,
              `the next 2×20 request ${c.second_block_ms.toFixed(1)} ms (the process wall above includes both)`,
              times(c.first_block_ms / c.second_block_ms),
              '',
              '',
            ],
          ]),
    ],
    align: ['left', 'right', 'right', 'right', 'left', 'left'],
  };
  const stages: FiguresTable = {
    id: 'stages',
    title: 'Where 20,000 pairs go in-process: each stage now, beside what it replaced (median ms, wall)',
    columns: ['stage', 'now ms', 'before ms', 'before / now'],
    rows: Object.entries(p.stages_median_ms).map(([name, s]) => [
      name.replace(/_/g, ' '),
      r2(s.now),
      s.before !== undefined
        ? r2(s.before)
        : name === 'json_parse'
          ? '(native, kept)'
          : '(new: nothing before)',
      s.before === undefined ? '' : `${(s.before / s.now).toFixed(1)}×`,
    ]),
  };
  const profile: FiguresTable = {
    id: 'profile',
    title: `CPU profile of the 20,000-pair request through the handler (${r.profile_20000.calls} calls, ${r.profile_20000.mean_ms.toFixed(1)} ms a call under the profiler), by the innermost project file on the stack`,
    columns: ['file', 'ms', 'share'],
    rows: r.profile_20000.by_file
      .filter((x) => x.share >= 0.01)
      .map((x) => [x.file, r1(x.ms), `${(100 * x.share).toFixed(1)}%`]),
  };
  const gzip: FiguresTable = {
    id: 'gzip',
    title: 'gzip by reply size',
    columns: ['pairs in the reply', 'reply bytes', 'gzipped', 'saved', 'gzip µs'],
    rows: ip.gzip_by_reply_size.rows.map((x) => [
      x.pairs,
      x.reply_bytes,
      x.gzip_bytes,
      x.saved_bytes,
      Math.round(x.gzip_us),
    ]),
  };
  const g = h.gzip_10x2000;
  const z = ip.gzip_reply_20000;
  const tcp = ip.gzip_by_reply_size.first_saving_a_tcp_segment;
  return {
    command: 'npm run bench',
    figures: r,
    tables: [targets, stages, profile, gzip],
    notes: [
      `Load average ${JSON.stringify(r.machine.load_average_at_start)} at the start, ${JSON.stringify(r.machine.load_average_at_end)} at the end (2 cores shared with other work: absolute times swing; read each figure against its reference). Backend ${ip.backend}, scoring engine ${ip.engine}, model ${ip.model_version}, run scale ${r.scale}.`,
      "Stages, before: parse entries = the zod schemas entry by entry; normalise = per-entry normalisation without the request caches; pair features = every column written per pair; model call = TF.js `predictOnBatch` on the same weights; model call block pass = the same dense pass row by row; model call pair kernel = the block pass's scalar JavaScript loop in place of the WebAssembly SIMD kernel; reply = `JSON.stringify` of reply objects. The reciprocal stage (the model's, after the network: docs/models.md) has no before: it is new with the model, and what it costs is its share of the handler's time. The profile counts time in Node's own code (a `JSON.parse`) for the project file that called it.",
      ...stageShareNote(ip.pairs_20000),
      ...collectionsNote(ip.seed_1x1),
      `Over the wire (10×2,000): request ${g.request_bytes.toLocaleString('en-US')} bytes (${g.request_gzip_bytes.toLocaleString('en-US')} gzipped); reply ${g.reply_bytes_plain.toLocaleString('en-US')} bytes plain, ${g.reply_bytes_gzip.toLocaleString('en-US')} with \`Accept-Encoding: gzip\`; a request over loopback ${g.plain_ms.toFixed(1)} ms plain, ${g.gzip_ms.toFixed(1)} ms gzipped. In-process, gzip of the 20,000-pair reply: level 1 ${z.gzip1_ms.toFixed(1)} ms → ${z.gzip1_bytes.toLocaleString('en-US')} bytes, level 6 ${z.gzip6_ms.toFixed(1)} ms → ${z.gzip6_bytes.toLocaleString('en-US')} bytes, beside ${z.scoring_ms.toFixed(1)} ms to score it. Compression first saves a whole TCP segment (1,460 bytes) at ${tcp ? `${tcp.pairs} pairs (${tcp.reply_bytes} bytes of reply)` : 'no size measured'}.`,
    ],
  };
}

/**
 * What the model's reciprocal stage costs the 20,000-pair request, when the run measured it: its
 * median beside the handler's (issue 12 allows the model's work 10 % of the hot path).
 */
function stageShareNote(p: InProcessFigures['pairs_20000']): string[] {
  const stage = p.stages_median_ms.reciprocal_stage;
  if (stage === undefined) return [];
  return [
    `The model's reciprocal stage takes ${stage.now.toFixed(2)} ms of the 20,000-pair request's ${p.handler_ms.toFixed(1)} ms: the handler takes ${((100 * stage.now) / (p.handler_ms - stage.now)).toFixed(1)} % longer with it than it would without it (issue 12 allows the model's work 10 %).`,
  ];
}

/** The spin reference beside the handler's p99 / p50, when the file has it. */
function spinText(spin: InProcessFigures['seed_1x1']['reference_spin']): string {
  if (spin === undefined) return '';
  return `; spin of the handler's p50: p50 ${spin.p50_ms.toFixed(4)} ms, p99 ${spin.p99_ms.toFixed(4)} ms, ${spin.p99_over_p50.toFixed(1)}× its p50`;
}

/** What the 1 × 1 tail had to do with garbage collection and the machine, when the file says. */
function collectionsNote(seed: InProcessFigures['seed_1x1']): string[] {
  const c = seed.collections;
  if (c === undefined) return [];
  const share = (l: SeedLatency) =>
    l.at_p99 === undefined ? '?' : `${l.at_p99_with_gc ?? 0} of its ${l.at_p99} calls at or above its p99`;
  const spin = seed.reference_spin;
  const heap = seed.heap_bytes_per_call;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  return [
    `1×1 in-process, collections during the ${c.turns.toLocaleString('en-US')} timed turns (each turn: the API Gateway call, the invoke call, the JSON reference${spin ? ', the spin reference' : ''}): ${c.scavenges} scavenges (one per ${c.scavenges > 0 ? Math.round(c.turns / c.scavenges) : '–'} turns) and ${c.other} other collections; a collection overlapped ${share(seed.api_gateway)} (API Gateway) and ${share(seed.invoke)} (invoke). Every call is counted in the quantiles, those too.`,
    ...(spin
      ? [
          `The spin reference is a pure arithmetic loop (${spin.turns.toLocaleString('en-US')} turns, no allocation) sized to the handler's p50 and timed in the same turns: its p99 is ${spin.p99_over_p50.toFixed(1)}× its p50 (the handler's: ${seed.api_gateway.p99_over_p50.toFixed(1)}×), the tail this machine alone adds to a call of that length in this run.`,
        ]
      : []),
    ...(heap
      ? [
          `Heap left to the collector a 1×1 call (heapUsed growth over 200 calls between collections, median batch): ${kb(heap.api_gateway)} (API Gateway event), ${kb(heap.invoke)} (direct invoke), ${kb(heap.reference_json_parse_stringify)} (JSON parse+stringify reference).`,
        ]
      : []),
  ];
}

/** What `npm run bench:invoke` writes to `.data/bench/invoke-api.json`. */
export interface InvokeReport {
  readonly date: string;
  readonly machine: { readonly load_average_1m: number } & Record<string, unknown>;
  readonly load_average_at_end_1m: number;
  readonly in_process: Readonly<Record<string, { p50_ms: number; p99_ms: number; runs: number }>>;
  readonly start_lambda: {
    readonly node: string;
    readonly recorded: StartLambdaServerFigures;
    readonly recorded_before_reply?: StartLambdaServerFigures;
    readonly recorded_with_caller?: StartLambdaServerFigures;
    readonly not_recorded: StartLambdaServerFigures;
    /** Not recorded, with `LAMBDA_FREEZE=on` (absent in reports before it was measured). */
    readonly not_recorded_frozen?: StartLambdaServerFigures;
    readonly sqs_handoff?: readonly {
      readonly send: string;
      readonly sqs_latency_ms: number;
      readonly rows_a_reply: number;
      readonly caller: { p50_ms: number; p99_ms: number; runs: number };
      readonly instances_started: number;
    }[];
    readonly init_duration_ms: { median: number; max: number };
    readonly init_duration_recorded_ms?: { median: number; max: number };
    readonly init_duration_empty_function_ms: { median: number };
  };
  /** CPU of one SendMessageBatch call, client side: the SDK's SQSClient and the predict function's own client. */
  readonly sqs_send_cpu?: {
    readonly sdk_client_us: number;
    readonly signer_client_us: number;
    readonly calls: number;
    readonly node: string;
  };
}

interface StartLambdaServerFigures {
  readonly instance_cpu_ms_per_call?: number;
  readonly writer_cpu_ms_per_call?: number;
  readonly instances_started_warm?: number;
  readonly instances_after_warm?: number;
  readonly seed_sdk_invoke_warm: { p50_ms: number; p99_ms: number; runs: number };
  /** Seed calls before `seed_sdk_invoke_warm` (absent in reports before it was recorded: 100). */
  readonly seed_warmup_calls?: number;
  readonly seed_sdk_invoke_fresh?: { p50_ms: number; p99_ms: number; runs: number };
  readonly pairs_20000_sdk_invoke: { p50_ms: number; p99_ms: number; runs: number };
  readonly max_memory_used_10x2000_mb: number;
  readonly memory_size_mb: number;
}

type StartLambdaMode =
  | 'recorded'
  | 'recorded_with_caller'
  | 'recorded_before_reply'
  | 'not_recorded'
  | 'not_recorded_frozen';

/** How a `start:lambda` measurement is named in the tables. */
function modeLabel(mode: StartLambdaMode): string {
  if (mode === 'recorded') return 'recorded, after the reply';
  if (mode === 'not_recorded_frozen')
    return 'not recorded, instances frozen between calls (LAMBDA_FREEZE=on)';
  if (mode === 'recorded_with_caller')
    return "recorded, after the reply, start:lambda in the caller's process";
  return mode.replace(/_/g, ' ');
}

/** How many calls came before a warm figure, when the report says (", after 2,000 calls"). */
function afterWarmup(figures: StartLambdaServerFigures): string {
  return figures.seed_warmup_calls === undefined
    ? ''
    : `, after ${figures.seed_warmup_calls.toLocaleString('en-US')} calls`;
}

/** `npm run bench:invoke`'s report as a figures file (`invoke`), for docs/benchmarks.md. */
export function invokeFigures(r: InvokeReport): FiguresInput {
  const s = r.start_lambda;
  const latency: FiguresTable = {
    id: 'latency',
    title: 'Invoke latency as a JS SDK caller sees it (client, SigV4, loopback HTTP, the function, reply)',
    columns: ['measurement', 'p50 ms', 'p99 ms', 'runs'],
    rows: [
      ...Object.entries(r.in_process).map(([name, x]) => [
        `npm start's Invoke API: ${name.replace(/_/g, ' ')}`,
        r3(x.p50_ms),
        r3(x.p99_ms),
        x.runs,
      ]),
      ...(
        [
          'recorded',
          'recorded_with_caller',
          'recorded_before_reply',
          'not_recorded',
          'not_recorded_frozen',
        ] as const
      ).flatMap((mode) => {
        const figures = s[mode];
        if (!figures) return [];
        return (['seed_sdk_invoke_fresh', 'seed_sdk_invoke_warm', 'pairs_20000_sdk_invoke'] as const).flatMap(
          (name) => {
            const x = figures[name];
            if (!x) return [];
            const what =
              name === 'seed_sdk_invoke_fresh'
                ? `seed sdk invoke, the first ${x.runs.toLocaleString('en-US')} calls of a fresh server`
                : name === 'seed_sdk_invoke_warm' && figures.seed_warmup_calls !== undefined
                  ? `seed sdk invoke warm, after ${figures.seed_warmup_calls.toLocaleString('en-US')} calls`
                  : name.replace(/_/g, ' ');
            return [[`start:lambda (${modeLabel(mode)}): ${what}`, r3(x.p50_ms), r3(x.p99_ms), x.runs]];
          },
        );
      }),
    ],
  };
  const targets: FiguresTable = {
    id: 'targets',
    title: `Issue 17's targets, start:lambda on Node ${s.node}`,
    columns: ['figure', 'measured', 'reference (same run)', 'target', ''],
    rows: [
      [
        `warm invoke of the seed request, p50, recorded (as deployed: the extension sends the rows after the reply)${afterWarmup(s.recorded)}`,
        `${s.recorded.seed_sdk_invoke_warm.p50_ms.toFixed(3)} ms`,
        `not recorded ${s.not_recorded.seed_sdk_invoke_warm.p50_ms.toFixed(3)} ms; sent before the reply (RESULTS_SEND=before-reply) ${(s.recorded_before_reply?.seed_sdk_invoke_warm.p50_ms ?? Number.NaN).toFixed(3)} ms${s.recorded_with_caller ? `; start:lambda in the caller's process ${s.recorded_with_caller.seed_sdk_invoke_warm.p50_ms.toFixed(3)} ms` : ''}${s.recorded.seed_sdk_invoke_fresh ? `; its first ${s.recorded.seed_sdk_invoke_fresh.runs.toLocaleString('en-US')} calls ${s.recorded.seed_sdk_invoke_fresh.p50_ms.toFixed(3)} ms` : ''}; npm start's Invoke API ${s.recorded.seed_warmup_calls === undefined ? '' : '(after 100 calls) '}${(r.in_process.seed_sdk_invoke?.p50_ms ?? Number.NaN).toFixed(3)} ms`,
        '≤ 2 ms',
        verdict(s.recorded.seed_sdk_invoke_warm.p50_ms <= 2),
      ],
      [
        `warm invoke of the seed request, p50, not recorded${afterWarmup(s.not_recorded)}`,
        `${s.not_recorded.seed_sdk_invoke_warm.p50_ms.toFixed(3)} ms`,
        [
          ...(s.not_recorded.seed_sdk_invoke_fresh
            ? [
                `its first ${s.not_recorded.seed_sdk_invoke_fresh.runs.toLocaleString('en-US')} calls ${s.not_recorded.seed_sdk_invoke_fresh.p50_ms.toFixed(3)} ms`,
              ]
            : []),
          ...(s.not_recorded_frozen
            ? [
                `instances frozen between calls (LAMBDA_FREEZE=on, off by default) ${s.not_recorded_frozen.seed_sdk_invoke_warm.p50_ms.toFixed(3)} ms`,
              ]
            : []),
        ].join('; '),
        '≤ 2 ms',
        verdict(s.not_recorded.seed_sdk_invoke_warm.p50_ms <= 2),
      ],
      [
        'Init Duration of a predict instance (median of fresh instances)',
        `${s.init_duration_ms.median.toFixed(1)} ms (max ${s.init_duration_ms.max.toFixed(1)})`,
        `an empty function ${s.init_duration_empty_function_ms.median.toFixed(1)} ms`,
        '≤ 250 ms',
        verdict(s.init_duration_ms.median <= 250),
      ],
      ...(s.init_duration_recorded_ms
        ? [
            [
              'Init Duration of a predict instance that records (extension registered with a top-level await during init; the SQS client made after the first reply)',
              `${s.init_duration_recorded_ms.median.toFixed(1)} ms (max ${s.init_duration_recorded_ms.max.toFixed(1)})`,
              `not recording ${s.init_duration_ms.median.toFixed(1)} ms`,
              '≤ 250 ms',
              verdict(s.init_duration_recorded_ms.median <= 250),
            ],
          ]
        : []),
      [
        'Max Memory Used after 10×2,000 requests, recorded',
        `${s.recorded.max_memory_used_10x2000_mb} MB`,
        `not recorded ${s.not_recorded.max_memory_used_10x2000_mb} MB; memory size ${s.recorded.memory_size_mb} MB`,
        '≤ 250 MB',
        verdict(s.recorded.max_memory_used_10x2000_mb <= 250),
      ],
    ],
    align: ['left', 'right', 'right', 'left', 'left'],
  };
  const handoff: FiguresTable = {
    id: 'handoff',
    title:
      'What recording adds for the caller against a slow SQS (start:lambda, SDK Invoke, calls paced so one instance can serve them)',
    columns: [
      'SQS latency',
      'rows a reply',
      'RESULTS_SEND',
      'caller p50 ms',
      'caller p99 ms',
      'runs',
      'instances started',
    ],
    rows: (s.sqs_handoff ?? []).map((h) => [
      `${h.sqs_latency_ms} ms`,
      h.rows_a_reply,
      h.send,
      r3(h.caller.p50_ms),
      r3(h.caller.p99_ms),
      h.caller.runs,
      h.instances_started,
    ]),
  };
  const modes = [
    'not_recorded',
    'not_recorded_frozen',
    'recorded',
    'recorded_with_caller',
    'recorded_before_reply',
  ] as const;
  const cpu: FiguresTable = {
    id: 'cpu',
    title:
      'CPU a warm seed call costs each process (start:lambda, back-to-back calls; /proc, 10 ms ticks over every call) and one SendMessageBatch call, client side',
    columns: ['what', 'CPU a call', 'p50 of the call', 'instances in the pool (started during the calls)'],
    rows: [
      ...modes.flatMap((mode) => {
        const f = s[mode];
        if (f?.instance_cpu_ms_per_call === undefined) return [];
        const label = modeLabel(mode);
        return [
          [
            `predict instances, ${label}`,
            `${f.instance_cpu_ms_per_call.toFixed(2)} ms`,
            `${f.seed_sdk_invoke_warm.p50_ms.toFixed(3)} ms`,
            f.instances_after_warm === undefined
              ? (f.instances_started_warm ?? '')
              : `${f.instances_after_warm} (${f.instances_started_warm ?? 0})`,
          ],
          ...(mode === 'not_recorded' || mode === 'not_recorded_frozen'
            ? []
            : [[`writer instance, ${label}`, `${(f.writer_cpu_ms_per_call ?? 0).toFixed(2)} ms`, '', '']]),
        ];
      }),
      ...(r.sqs_send_cpu
        ? [
            [
              `SendMessageBatch of a seed reply's rows, the SDK's SQSClient (Node ${r.sqs_send_cpu.node}, ${r.sqs_send_cpu.calls} calls)`,
              `${(r.sqs_send_cpu.sdk_client_us / 1000).toFixed(2)} ms`,
              '',
              '',
            ],
            [
              "SendMessageBatch of a seed reply's rows, the predict function's client (SigV4 on Node's crypto), same run, in turns",
              `${(r.sqs_send_cpu.signer_client_us / 1000).toFixed(2)} ms`,
              '',
              '',
            ],
          ]
        : []),
    ],
    align: ['left', 'right', 'right', 'right'],
  };
  return {
    command: 'npm run bench:invoke',
    figures: r,
    tables: [targets, latency, cpu, ...(s.sqs_handoff ? [handoff] : [])],
    notes: [
      `Load average (1 min) ${r.machine.load_average_1m.toFixed(2)} at the start, ${r.load_average_at_end_1m.toFixed(2)} at the end, on 2 cores shared with other work.`,
    ],
  };
}
