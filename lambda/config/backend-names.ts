import { ConfigurationError } from '../errors';

/**
 * TF.js backends, best first (DESIGN.md #2). Measured by `npm run bench` on this model, 20,000
 * pairs scored in one batch: wasm 4.9 ms, cpu 29.4 ms, at about the same cold start (173 vs
 * 165 ms). The native backend comes first wherever `@tensorflow/tfjs-node` installed.
 */
export const BACKEND_PREFERENCE = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** Parses `TFJS_BACKEND`, a comma-separated backend list such as `"wasm,cpu"`; throws naming a bad entry. */
export function parseBackendList(value: string): BackendName[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      if (!(BACKEND_PREFERENCE as readonly string[]).includes(s)) {
        throw new ConfigurationError(
          'TFJS_BACKEND',
          `unknown TF.js backend "${s}"; expected one of ${BACKEND_PREFERENCE.join(', ')}`,
        );
      }
      return s as BackendName;
    });
}

/** How a model is scored (`SCORING_ENGINE`): see `Config.engine`. */
export const SCORING_ENGINES = ['auto', 'tfjs'] as const;
export type ScoringEngine = (typeof SCORING_ENGINES)[number];

/** Parses `SCORING_ENGINE`; throws naming it when the value is not one of {@link SCORING_ENGINES}. */
export function parseScoringEngine(value: string): ScoringEngine {
  const engine = value.trim();
  if (!(SCORING_ENGINES as readonly string[]).includes(engine)) {
    throw new ConfigurationError(
      'SCORING_ENGINE',
      `unknown scoring engine "${value}"; expected one of ${SCORING_ENGINES.join(', ')}`,
    );
  }
  return engine as ScoringEngine;
}
