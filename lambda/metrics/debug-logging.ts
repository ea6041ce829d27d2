import type { Logger } from '@aws-lambda-powertools/logger';

/**
 * Whether `logger` writes debug lines, read once: Powertools reads the environment on every log
 * call, even one below its level (an X-Ray trace id and the log level), about 3 µs of a 1 × 1
 * request over HTTP in the profile of the local server. Callers skip debug lines per request
 * when this is false. The level is the one the logger was made with (`POWERTOOLS_LOG_LEVEL`);
 * nothing in this service changes it afterwards.
 */
export function logsDebug(logger: Pick<Logger, 'getLevelName'>): boolean {
  const level = logger.getLevelName();
  return level === 'DEBUG' || level === 'TRACE';
}
