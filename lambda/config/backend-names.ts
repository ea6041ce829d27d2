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
