export {
  type CaptureDocument,
  type CaptureRecord,
  captureJson,
  captureKey,
  captureParts,
  toCaptureDocument,
} from './capture-record';
export { type CaptureSink, discardingCaptureSink, sampled } from './capture-sink';
export { openS3CaptureSink } from './open-s3-capture-sink';
// `S3CaptureSink` itself is left out: `openS3CaptureSink` requires it (and the S3 client) only when
// a bucket is configured. Import it from its file.
export type { S3CaptureSinkOptions } from './s3-capture-sink';
