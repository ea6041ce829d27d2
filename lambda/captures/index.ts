export {
  type CaptureDocument,
  type CaptureRecord,
  captureJson,
  captureKey,
  toCaptureDocument,
} from './capture-record';
export { type CaptureSink, discardingCaptureSink, sampled } from './capture-sink';
export { S3CaptureSink, type S3CaptureSinkOptions } from './s3-capture-sink';
