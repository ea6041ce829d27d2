// Nothing here imports TF.js: a model the dense pass covers is served without loading it.
// TF.js lives in `backend.ts`, `build-layers-model.ts` and `tfjs-scorer.ts`, which `load-model.ts`
// requires on first use; import those files directly (tests) rather than through this index.
export { currentModel, readyModels, requestModels } from './current-model';
export { DenseForward, type DenseLayer, denseForwardOf, type NamedWeight } from './dense-forward';
export {
  firstGoldenFailure,
  type GoldenScore,
  PROBE_REQUEST,
  type ScoreFunction,
  scoreGolden,
  verifyGolden,
} from './golden-requests';
export { type ArtifactLocation, type LoadedModel, loadModel, type ScoringRuntime } from './load-model';
export { ModelSlot, type SlotLogger } from './model-slot';
export { aliasSource, configuredSources, embeddedSource, type ModelSource } from './model-source';
export {
  applyReciprocalStage,
  RECIPROCAL_STAGE_VERSION,
  type ReciprocalStage,
  type ReciprocalWeights,
  STAGE_INPUTS,
  stageInputs,
  withReciprocalStage,
} from './reciprocal-stage';
export { type RequestModels, ServingModels, servingModelsFor } from './serving-models';
export { SharedLoads } from './shared-loads';
export type { TfjsScorer } from './tfjs-scorer';
export { allocateWeightBuffers, type WeightBuffers, type WeightGroup } from './weight-buffers';
