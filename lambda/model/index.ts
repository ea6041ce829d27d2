export { selectBackend } from './backend';
export { buildLayersModel } from './build-layers-model';
export { currentModel, requestModels } from './current-model';
export { type ArtifactLocation, type LoadedModel, loadModel } from './load-model';
export { ModelSlot, type SlotLogger } from './model-slot';
export { aliasSource, configuredSources, embeddedSource, type ModelSource } from './model-source';
export { type RequestModels, ServingModels, servingModelsFor } from './serving-models';
export { SharedLoads } from './shared-loads';
export { allocateWeightBuffers, type WeightBuffers, type WeightGroup, weightTensors } from './weight-buffers';
