export { type CaptureConfig, readCaptureConfig } from './capture-config';
export { type CaptureDocument, type CaptureRecord, captureKey, toCaptureDocument } from './capture-record';
export { type CaptureSink, discardingCaptureSink, sampled } from './capture-sink';
export { DirectoryCaptureSink, type DirectoryCaptureSinkOptions } from './directory-capture-sink';
export { S3CaptureSink, type S3CaptureSinkOptions } from './s3-capture-sink';
