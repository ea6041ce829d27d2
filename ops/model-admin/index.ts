export { type DiffRow, diffManifests } from './diff-manifests';
export { hashFile } from './hash-file';
export { aliasTargets, listVersions, type VersionSummary } from './list-versions';
export { type AliasMove, promoteVersion } from './promote-version';
export { type PublishResult, publishVersion } from './publish-version';
export { type ResealResult, resealArtifact } from './reseal-artifact';
export { readVersionManifest, resolveVersion } from './resolve-version';
export { rollbackAlias } from './rollback-alias';
