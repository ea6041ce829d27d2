import type { Manifest } from '../../lambda/model-store';
import type { DiffRow, VersionSummary } from '../../ops/model-admin';
import { formatTable, num } from './format-table';

/** `model list`: one line per version with its aliases and manifest in brief. */
export function formatVersions(versions: readonly VersionSummary[]): string {
  if (versions.length === 0) return 'no versions published yet';
  const rows = versions.map((v) => {
    const m = v.manifest;
    if (!m) return [v.version, v.aliases.join(',') || '-', `(unreadable: ${v.problem ?? 'no manifest'})`];
    const rows = m.training_data.rows;
    return [
      v.version,
      v.aliases.join(',') || '-',
      m.created_at.slice(0, 16).replace('T', ' '),
      m.code_revision,
      m.training_data.hash.slice(0, 12),
      String(rows.train + rows.validation + rows.test),
      num(m.metrics.precision),
      num(m.metrics.recall),
      num(m.metrics.f1),
      num(m.metrics.roc_auc),
      num(m.threshold),
    ];
  });
  return formatTable([
    [
      'VERSION',
      'ALIASES',
      'CREATED',
      'CODE',
      'DATA HASH',
      'ROWS',
      'PRECISION',
      'RECALL',
      'F1',
      'ROC AUC',
      'THRESHOLD',
    ],
    ...rows,
  ]);
}

/** `model diff`: the fields that differ, and every metric, side by side with the change. */
export function formatDiff(a: string, b: string, rows: readonly DiffRow[], all = false): string {
  const shown = rows.filter((r) => all || r.changed || r.metric);
  const cell = (v: string | number | undefined) =>
    v === undefined ? '(none)' : typeof v === 'number' ? num(v) : v.length > 60 ? `${v.slice(0, 57)}...` : v;
  const table = shown.map((r) => [
    r.changed ? '*' : ' ',
    r.field,
    cell(r.a),
    cell(r.b),
    r.delta === undefined || r.delta === 0 ? '' : `${r.delta > 0 ? '+' : ''}${num(r.delta)}`,
  ]);
  const changed = rows.filter((r) => r.changed).length;
  return `${formatTable([[' ', 'FIELD', a, b, 'CHANGE'], ...table])}\n\n${changed} of ${rows.length} fields differ (* marks them)${all ? '' : '; --all shows every field'}`;
}

const SLICE_FIGURES = ['precision', 'recall', 'f1', 'average_precision'] as const;

/**
 * `model diff`: the test metrics by slice and by budget type (`evaluations.test_slice_*`,
 * `evaluations.test_type_*`) of both versions side by side, so a candidate that improves the
 * average but breaks a slice shows before it is promoted. `!` marks a figure that fell by more than
 * 0.005.
 */
export function formatSliceDiff(a: string, b: string, left: Manifest, right: Manifest): string {
  const names = [
    ...new Set([...Object.keys(left.evaluations ?? {}), ...Object.keys(right.evaluations ?? {})]),
  ].filter((n) => n.startsWith('test_slice_') || n.startsWith('test_type_'));
  if (names.length === 0) return 'no slice metrics in either manifest (trained before issue 12)';
  const figure = (m: Manifest, name: string, key: (typeof SLICE_FIGURES)[number]) => {
    const value = m.evaluations?.[name]?.[key];
    return typeof value === 'number' ? value : undefined;
  };
  const header = ['SLICE / TYPE', ...SLICE_FIGURES.flatMap((k) => [`${short(k)} ${a}`, `${short(k)} ${b}`])];
  const rows = names.map((name) => [
    name.replace(/^test_slice_/, 'slice ').replace(/^test_type_/, 'type '),
    ...SLICE_FIGURES.flatMap((k) => {
      const x = figure(left, name, k);
      const y = figure(right, name, k);
      const fell = x !== undefined && y !== undefined && y < x - 0.005 ? ' !' : '';
      return [x === undefined ? '(none)' : num(x), y === undefined ? '(none)' : `${num(y)}${fell}`];
    }),
  ]);
  return `test set by slice and budget type (! marks a fall of more than 0.005)\n${formatTable([header, ...rows])}`;
}

function short(key: (typeof SLICE_FIGURES)[number]): string {
  return { precision: 'P', recall: 'R', f1: 'F1', average_precision: 'AP' }[key];
}
