import { S3Client } from '@aws-sdk/client-s3';
import { type CaptureSink, discardingCaptureSink, readCaptureConfig, S3CaptureSink } from '../captures';
import { discardingSink, type ResultSink } from './result-sink';

/**
 * The deployed predict function's capture sink: the requests behind the rows it records go to the
 * captures bucket when the stack names one (`CAPTURE_BUCKET`, `CAPTURE`, `CAPTURE_SAMPLE_RATE`);
 * when nothing is recorded (`sink` discards) nothing is captured. An upload that fails is logged
 * as a warning and never fails the request.
 */
export function predictCaptureSink(
  sink: ResultSink,
  logger: { warn(message: string, fields: Record<string, unknown>): void },
  env: NodeJS.ProcessEnv = process.env,
): CaptureSink {
  const captures = readCaptureConfig(env);
  if (!captures.enabled || !captures.bucket || sink === discardingSink) return discardingCaptureSink;
  return new S3CaptureSink({
    client: new S3Client({}),
    bucket: captures.bucket,
    sampleRate: captures.sampleRate,
    onError: (error, record) =>
      logger.warn('request not captured', { error: String(error), request_id: record.requestId }),
  });
}
