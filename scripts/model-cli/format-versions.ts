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
