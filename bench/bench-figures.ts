import type { FiguresInput } from '../scripts/figures/figures-file';

type Json = Record<string, unknown>;
const num = (v: unknown, digits: number): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? Number(v.toFixed(digits)) : null;
const at = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Json)[k] : undefined), o);

/** `npm run bench`'s report as a figures file (`bench`), for docs/benchmarks.md. */
export function benchFigures(report: { results: unknown[]; bundle_bytes?: number }): FiguresInput {
  const rows = report.results.map((r) => [
    String(at(r, 'backend') ?? '?'),
    num(at(r, 'seed_invoke', 'p50_ms'), 3),
    num(at(r, 'seed_invoke', 'p99_ms'), 3),
    num(at(r, 'seed_api_gateway', 'p50_ms'), 3),
    num(at(r, 'throughput', 'median_ms'), 1),
    num(at(r, 'throughput', 'pairs_per_second'), 0),
    ['parse', 'features', 'score', 'reply']
      .map((p) => num(at(r, 'throughput', 'phases_median_ms', p), 1)?.toFixed(1) ?? '?')
      .join(' / '),
    num(at(r, 'throughput', 'reference_json_parse_stringify_ms'), 1),
    num(at(r, 'cold_start', 'wall_ms'), 0),
  ]);
  return {
    command: 'npm run bench',
    figures: report,
    tables: [
      {
        id: 'backends',
        columns: [
          'backend',
          'seed p50 ms (invoke)',
          'seed p99 ms (invoke)',
          'seed p50 ms (API Gateway)',
          '20,000 pairs ms',
          'pairs/s',
          'parse / features / score / reply ms',
          'JSON ref ms',
          'cold start ms',
        ],
        rows,
      },
    ],
    notes: [
      `The JSON reference is a \`JSON.parse\` + \`JSON.stringify\` of the same 20,000-pair body, measured in the same run. Bundle: ${report.bundle_bytes ?? '?'} bytes (minified, TF.js external).`,
    ],
  };
}
