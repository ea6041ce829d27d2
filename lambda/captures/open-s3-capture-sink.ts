import type { CaptureSink } from './capture-sink';
import type { S3CaptureSinkOptions } from './s3-capture-sink';

/**
 * The captures sink for a bucket (`CAPTURE_BUCKET`), with its own S3 client. The S3 client and
 * the sink are required here, when a bucket is configured, never at module load: the AWS SDK's S3
 * client costs a cold start about 70 ms (`npm run bench`, cold start) that a function without
 * captures does not need.
 */
export function openS3CaptureSink(options: Omit<S3CaptureSinkOptions, 'client'>): CaptureSink {
  const { S3Client } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  const { S3CaptureSink } = require('./s3-capture-sink') as typeof import('./s3-capture-sink');
  return new S3CaptureSink({ client: new S3Client({}), ...options });
}
