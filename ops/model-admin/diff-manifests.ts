import type { Manifest } from '../../lambda/model-store';

/** One field of two manifests side by side. */
export interface DiffRow {
  /** Dotted path, e.g. `metrics.precision`, `hyperparameters.learning_rate`, `files.weights.bin`. */
  readonly field: string;
  readonly a: string | number | undefined;
  readonly b: string | number | undefined;
  /** `b - a` when both are numbers. */
  readonly delta?: number;
  readonly changed: boolean;
  /** A figure of `metrics.*` or `evaluations.*`, which a comparison always shows. */
  readonly metric: boolean;
}

/**
 * Compares two manifests field by field: every scalar, hyper-parameters, training data, metrics
 * and evaluations (with the change in each figure), and each file's size and checksum. The
 * feature names are summarised by count; their hash is compared exactly.
 */
export function diffManifests(a: Manifest, b: Manifest): DiffRow[] {
  const left = flatten(a);
  const right = flatten(b);
  const fields = [...new Set([...left.keys(), ...right.keys()])];
  return fields.map((field) => {
    const x = left.get(field);
    const y = right.get(field);
    const figure = typeof x === 'number' || typeof y === 'number';
    const metric = figure && (field.startsWith('metrics.') || field.startsWith('evaluations.'));
    return {
      field,
      a: x,
      b: y,
      ...(typeof x === 'number' && typeof y === 'number' ? { delta: round(y - x) } : {}),
      changed: x !== y,
      metric,
    };
  });
}

function flatten(manifest: Manifest): Map<string, string | number> {
  const out = new Map<string, string | number>();
  const { files, feature_spec, ...rest } = manifest;
  walk(rest, '', out);
  out.set('feature_spec.version', feature_spec.version);
  out.set('feature_spec.hash', feature_spec.hash);
  out.set('feature_spec.features', feature_spec.names.length);
  for (const file of files)
    out.set(`files.${file.path}`, `${file.bytes} bytes, sha256 ${file.sha256.slice(0, 12)}`);
  return out;
}

function walk(value: unknown, path: string, out: Map<string, string | number>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, out);
  } else if (typeof value === 'number' || typeof value === 'string') {
    out.set(path, value);
  } else if (value !== undefined) {
    out.set(path, JSON.stringify(value));
  }
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
