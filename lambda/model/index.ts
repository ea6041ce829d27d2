export { selectBackend } from './backend';
export { buildLayersModel } from './build-layers-model';
export { currentModel, requestModels } from './current-model';
export { DenseForward, type DenseLayer, denseForwardOf } from './dense-forward';
export {
  firstGoldenFailure,
  type GoldenScore,
  PROBE_REQUEST,
  type ScoreFunction,
  scoreGolden,
  verifyGolden,
} from './golden-requests';
export { type ArtifactLocation, type LoadedModel, loadModel, type PairShape } from './load-model';
export { ModelSlot, type SlotLogger } from './model-slot';
export { aliasSource, configuredSources, embeddedSource, type ModelSource } from './model-source';
export { type RequestModels, ServingModels, servingModelsFor } from './serving-models';
export { SharedLoads } from './shared-loads';
export { allocateWeightBuffers, type WeightBuffers, type WeightGroup, weightTensors } from './weight-buffers';
