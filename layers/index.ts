export { biggestContributors, listFiles } from './measure';
export {
  LAYER_PACKAGE_NAMES,
  type LayerPackage,
  LICENSE_FILE,
  NEVER_LOADED,
  RUNTIME_LAYER_PACKAGES,
} from './runtime-layer-spec';
export {
  type ArtifactSize,
  type Contributor,
  checkSizeLimits,
  formatBytes,
  LAMBDA_LIMITS,
  type LambdaLimits,
  type LimitViolation,
} from './size-limits';
export { type LayerContents, type TraceLayerOptions, traceLayerFiles } from './trace-layer';
export { zipDirectory } from './zip-directory';
