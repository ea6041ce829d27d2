import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_PREFERENCE, type BackendName } from '../config';
import { ModelLoadError } from '../errors';

// Each backend registers itself with tfjs-core when its package is loaded. The native one is an
// optional dependency that is often absent (it downloads libtensorflow at install time).
const REGISTER: Readonly<Record<BackendName, () => void>> = {
  tensorflow: () => require('@tensorflow/tfjs-node'),
  wasm: () => require('@tensorflow/tfjs-backend-wasm'),
  cpu: () => require('@tensorflow/tfjs-backend-cpu'),
};

const selected = new Map<string, Promise<BackendName>>();

/**
 * Activates the first TF.js backend that loads, in the order given (by default
 * {@link BACKEND_PREFERENCE}), and resolves to its name. Runs once per process and order (a
 * process serves one `TFJS_BACKEND`; tests ask for each backend in turn).
 */
export function selectBackend(order: readonly BackendName[] = BACKEND_PREFERENCE): Promise<BackendName> {
  const key = order.join(',');
  let selecting = selected.get(key);
  if (!selecting) {
    // A failure is not kept, so a later call (the next request) tries again.
    selecting = activate(order).catch((error: unknown) => {
      selected.delete(key);
      throw error;
    });
    selected.set(key, selecting);
    return selecting;
  }
  // Another order may have switched TF.js's one global backend since (tests do).
  return selecting.then(async (name) => {
    if (tf.getBackend() !== name) await tf.setBackend(name);
    return name;
  });
}

async function activate(order: readonly BackendName[]): Promise<BackendName> {
  // Production mode skips per-op debug checks and the "install tfjs-node" console banner.
  tf.enableProdMode();
  const failures: string[] = [];
  for (const name of order) {
    try {
      REGISTER[name]();
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
      failures.push(`${name}: did not initialise`);
    } catch (error) {
      failures.push(`${name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }
  throw new ModelLoadError(
    'no_backend',
    `no TF.js backend could be started (${failures.join('; ')})`,
    'TFJS_BACKEND',
  );
}
