import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import extract from 'extract-zip';
import { distLayout } from '../../cdk/dist-layout';
import { listFiles } from '../../layers';
import { type BuildReport, buildArtifacts } from '../../scripts/build-artifacts';
import { useScratch } from '../helpers/scratch';

const scratch = useScratch();

/** The file list of a zip. */
async function entries(zip: string): Promise<string[]> {
  const dir = scratch.dir('build-test-unzip');
  await extract(zip, { dir });
  return listFiles(dir).map((f) => f.path);
}

// The build resolves entries and node_modules from the project root, as `npm run build` does.
const ROOT = join(__dirname, '..', '..');
const handlers = [
  {
    name: 'predict',
    entry: 'lambda/predict.ts',
    copy: [['models/default', 'models/default']] as const,
    esm: true,
    splitAwsSdk: true,
  },
  { name: 'absent', entry: 'lambda/no-such-handler.ts' },
];

describe('buildArtifacts', () => {
  const cwd = process.cwd();
  // Apart from dist/, so the test never races `npm run build` or `npm run check:lambda`.
  const dist = distLayout(scratch.dir('build-test-dist'));
  let report: BuildReport;

  beforeAll(async () => {
    process.chdir(ROOT);
    report = await buildArtifacts({ dist, handlers });
  });
  afterAll(() => {
    process.chdir(cwd);
  });

  it('zips the predict bundle (an ES module) and its SDK files with the default model, its source map outside', async () => {
    const files = await entries(dist.functionZip('predict'));

    expect(files).toEqual(expect.arrayContaining(['index.mjs', 'aws-sdk.js']));
    // Its SQS client signs with its own SigV4 code (lambda/results/sigv4.ts): no SDK signer file.
    expect(files).not.toContain('aws-signer.js');
    expect(files).not.toContain('index.js');
    expect(files).toContain('models/default/model.json');
    expect(files).toContain('models/default/manifest.json');
    expect(files.some((f) => f.endsWith('.map'))).toBe(false);
    expect(readFileSync(dist.sourceMap('predict', 'index.mjs'), 'utf8')).toContain('"mappings"');
  });

  it('leaves TF.js to the layer: the bundle requires it (require reads NODE_PATH, import does not) and does not contain it', () => {
    const bundle = readFileSync(join(dist.code('predict'), 'index.mjs'), 'utf8');

    expect(bundle).toMatch(/\b[\w$]+\("@tensorflow\/tfjs-core"\)/);
    expect(bundle).not.toMatch(/import[^;]*"@tensorflow\/tfjs-core"/);
    expect(bundle).not.toContain('registerKernel');
  });

  it('zips the layer under nodejs/node_modules with the wasm binaries', async () => {
    const files = await entries(dist.layerZip);

    expect(files).toContain('nodejs/node_modules/@tensorflow/tfjs-core/dist/tf-core.node.js');
    expect(files).toContain('nodejs/node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
    expect(files.every((f) => f.startsWith('nodejs/node_modules/'))).toBe(true);
  });

  it('skips a handler whose entry does not exist yet, and says so', () => {
    expect(report.skipped.handlers).toEqual(['absent']);
    expect(report.artifacts.map((a) => a.name)).toEqual(['predict', 'layer']);
  });

  it('writes the size report: zipped and unzipped bytes, biggest parts, no limit broken', () => {
    const written = JSON.parse(readFileSync(dist.sizeReport, 'utf8'));

    expect(written.violations).toEqual([]);
    expect(written.limits).toEqual({ zippedBytes: 50 * 1024 * 1024, unzippedBytes: 250 * 1024 * 1024 });
    for (const a of written.artifacts) {
      expect(a.zippedBytes).toBeGreaterThan(0);
      expect(a.unzippedBytes).toBeGreaterThan(a.zippedBytes);
      expect(a.biggest.length).toBeGreaterThan(0);
    }
    expect(written.artifacts[1].biggest[0].path).toMatch(/^nodejs\/node_modules\/@tensorflow\//);
  });

  it('reports the artifact and its biggest part when a limit is broken', async () => {
    const failed = await buildArtifacts({
      dist,
      handlers: handlers.slice(0, 1),
      limits: { zippedBytes: 50 * 1024 * 1024, unzippedBytes: 1024 * 1024 },
    });

    expect(failed.violations).toHaveLength(1);
    expect(failed.violations[0]?.message).toMatch(
      /^predict plus its layers is \d+\.\d MB unzipped, over Lambda's 1\.0 MB limit; the biggest part is nodejs\/node_modules\/@tensorflow\/tfjs-layers/,
    );
    expect(JSON.parse(readFileSync(dist.sizeReport, 'utf8')).violations).toHaveLength(1);
  });
});
