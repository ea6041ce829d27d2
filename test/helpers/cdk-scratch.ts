import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { useScratch } from './scratch';

/** What stack and construct tests build on; see {@link useCdkScratch}. */
export interface CdkScratch {
  /** A CDK app whose output (`cdk.out`) is in a scratch directory, not a fresh one left in the temp dir. */
  app(): App;
  /** Lambda code: a one-line handler. Each call is a fresh `Code` (a construct binds its code once). */
  code(): Code;
}

/**
 * CDK apps and placeholder Lambda code for the tests of the block that calls it, everything they
 * write in scratch directories removed after them ({@link useScratch}).
 */
export function useCdkScratch(): CdkScratch {
  const scratch = useScratch();
  const asset = scratch.dir('matcher-asset');
  writeFileSync(join(asset, 'index.js'), 'exports.handler = async () => [];');
  return {
    app: () => new App({ outdir: scratch.dir('cdk.out') }),
    code: () => Code.fromAsset(asset),
  };
}
