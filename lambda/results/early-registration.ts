import { readResultsConfig } from '../config/results-config';
import { type PendingRegistration, RESULTS_EXTENSION_NAME, startRegistration } from './results-extension';

/**
 * Starts the results extension's registration when the predict function will want it
 * (`RESULTS_SEND=after-reply` with a results queue and Lambda's Extensions API: the conditions
 * of `predictResultsExtension`); `undefined` otherwise, or when a setting is unusable
 * (`readConfig` then says which, as the init fails). `lambda/predict.ts` starts it once its
 * configuration is read; its request leaves at the bundle's top-level `await` of `initialised`,
 * which ends the init.
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
