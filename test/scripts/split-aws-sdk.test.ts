import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { handlerBuildOptions } from '../../scripts/esbuild-options';
import { AWS_SIGNER_FILE, buildSplittingAwsSdk } from '../../scripts/split-aws-sdk';
import { useScratch } from '../helpers/scratch';

describe('buildSplittingAwsSdk: the AWS SDK in a file of its own, loaded at its first use', () => {
  const scratch = useScratch();

  /** Builds `source` as a handler in a new folder; its bundle is `index.js` there. */
  const buildOf = async (source: string) => {
    const dir = scratch.dir('split-aws-sdk');
    writeFileSync(join(dir, 'entry.ts'), source);
    const options = {
      ...handlerBuildOptions(join(dir, 'entry.ts'), join(dir, 'index.js')),
      logLevel: 'error' as const,
    };
    const built = await buildSplittingAwsSdk(options, dir);
    return { dir, built };
  };

  it('leaves the SDK out of the bundle and loads its file (the signer: aws-signer.js) only when a name imported from it is used', async () => {
    const { dir, built } = await buildOf(`
import { Sha256 } from '@smithy/core/checksum';
export const hash = async (text: string) => {
  const { SignatureV4 } = require('@smithy/signature-v4') as typeof import('@smithy/signature-v4');
  const h = new Sha256();
  h.update(text);
  return [typeof SignatureV4, Buffer.from(await h.digest()).toString('hex')];
};`);
    // The bundle is loaded, then the SDK is used: which files Node has loaded at each step.
    const loaded = execFileSync(
      process.execPath,
      [
        '-e',
        `const mod = require(${JSON.stringify(join(dir, 'index.js'))});
const sdkLoaded = () => Object.keys(require.cache).some((f) => f.endsWith('${AWS_SIGNER_FILE}'));
const before = sdkLoaded();
mod.hash('abc').then((out) => console.log(JSON.stringify({ before, after: sdkLoaded(), out })));`,
      ],
      { encoding: 'utf8' },
    );

    expect(JSON.parse(loaded)).toEqual({
      before: false,
      after: true,
      out: ['function', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    });
    expect([...built.imported].map(([pkg, names]) => [pkg, [...names]])).toEqual([
      ['@smithy/core/checksum', ['Sha256']],
      ['@smithy/signature-v4', ['SignatureV4']],
    ]);
    // The SDK's code is in its file, not in the bundle.
    const marker = 'Attempted to update an already finished hash';
    expect(readFileSync(join(dir, 'index.js'), 'utf8')).not.toContain(marker);
    expect(readFileSync(join(dir, AWS_SIGNER_FILE), 'utf8')).toContain(marker);
  });

  it('fails the build, naming the import, for an SDK package used other than by name', async () => {
    await expect(
      buildOf(`
export const client = () => {
  const sdk = require('@smithy/signature-v4') as typeof import('@smithy/signature-v4');
  return sdk.SignatureV4;
};`),
    ).rejects.toThrow(/import the AWS SDK by name.*const sdk = (__)?require\("@smithy\/signature-v4"\)/);
  });
});
