import { readResultsConfig } from '../config/results-config';
import { type PendingRegistration, RESULTS_EXTENSION_NAME, startRegistration } from './results-extension';

/**
 * Starts the results extension's registration when the predict function will want it
 * (`RESULTS_SEND=after-reply` with a results queue and Lambda's Extensions API: the conditions
 * of `predictResultsExtension`); `undefined` otherwise, or when a setting is unusable
 * (`readConfig` then says which, as the init fails).
 */
export function startPredictRegistration(env: NodeJS.ProcessEnv): PendingRegistration | undefined {
  let results: ReturnType<typeof readResultsConfig>;
  try {
    results = readResultsConfig(env);
  } catch {
    return undefined;
  }
  const runtimeApi = env.AWS_LAMBDA_RUNTIME_API;
  if (results.send !== 'after-reply' || !results.queueUrl || !runtimeApi) return undefined;
  return startRegistration(runtimeApi, RESULTS_EXTENSION_NAME);
}

/**
 * The predict function's registration, started as this module loads: `lambda/predict.ts` imports
 * it first, so that the worker thread registering runs while the rest of the bundle loads (about
 * 80 ms of the init when it was started, and waited for, after everything else had loaded:
 * `npm run bench:invoke`, `Init Duration`). `predictResultsExtension` waits for its answer
 * before init ends.
 */
export const earlyRegistration = startPredictRegistration(process.env);
