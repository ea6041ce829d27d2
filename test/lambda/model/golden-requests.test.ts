import { rmSync } from 'node:fs';
import '@tensorflow/tfjs-backend-cpu';
import { ModelLoadError } from '../../../lambda/errors';
import { Normaliser } from '../../../lambda/features';
import {
  firstGoldenFailure,
  loadModel,
  PROBE_REQUEST,
  RECIPROCAL_STAGE_VERSION,
  scoreGolden,
  withReciprocalStage,
} from '../../../lambda/model';
import { DirectoryStore } from '../../../lambda/model-store';
import { publishVersion } from '../../../ops/model-admin';
import { artifactVersion, nanArtifact, rewriteManifest } from '../../helpers/model-artifacts';

const temporary: string[] = [];
const artifact = (version: string) => {
  const dir = artifactVersion(version);
  temporary.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

async function loadError(dir: string): Promise<ModelLoadError> {
  const error = await loadModel(dir, 'cpu').then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ModelLoadError)) throw new Error(`expected a ModelLoadError, got ${String(error)}`);
  return error;
}

describe('golden requests at load', () => {
  it('refuse a model whose weights are NaN (checksums re-computed), naming the model and the first pair', async () => {
    const dir = nanArtifact(artifact('2026-12-01T000000Z'));

    const error = await loadError(dir);

    expect(error.code).toBe('golden_mismatch');
    expect(error.field).toBe('golden');
    expect(error.message).toMatch(
      /^model 2026-12-01T000000Z refused: golden request "[^"]+" pair 0: score is NaN/,
    );
  });

  it('refuse a model whose scores moved further than the tolerance from the expected ones', async () => {
    const dir = artifact('2026-12-01T000001Z');
    const good = await loadModel(dir, 'cpu');
    const actual = scoreGolden(
      { golden: { tolerance: 1e-4, requests: [{ name: 'trip', request: PROBE_REQUEST, scores: [0, 0] }] } },
      withReciprocalStage(good.score, good.stage),
      () => new Normaliser(good.aliases),
    ).map((s) => s.actual);
    good.dispose();
    rewriteManifest(dir, (m) => {
      m.golden = {
        tolerance: 1e-4,
        requests: [
          { name: 'trip', request: PROBE_REQUEST, scores: [actual[0], (actual[1] as number) + 0.001] },
        ],
      };
    });

    const error = await loadError(dir);

    expect(error.code).toBe('golden_mismatch');
    expect(error.message).toContain('golden request "trip" pair 1: score');
    expect(error.message).toContain('by more than 0.0001');
  });

  it('load a model whose scores are the expected ones within the tolerance', async () => {
    const dir = artifact('2026-12-01T000002Z');
    const first = await loadModel(dir, 'cpu');
    const scores = scoreGolden(
      {},
      withReciprocalStage(first.score, first.stage),
      () => new Normaliser(first.aliases),
    ).map((s) => s.actual);
    first.dispose();
    rewriteManifest(dir, (m) => {
      m.golden = { tolerance: 1e-4, requests: [{ name: 'probe', request: PROBE_REQUEST, scores }] };
    });

    const model = await loadModel(dir, 'cpu');

    expect(model.manifest.golden?.requests[0]?.scores).toEqual(scores);
    model.dispose();
  });

  it("score through the model's reciprocal stage: other stage weights than the ones recorded are refused", async () => {
    const dir = artifact('2026-12-01T000005Z');
    rewriteManifest(dir, (m) => {
      m.reciprocal_stage = {
        version: RECIPROCAL_STAGE_VERSION,
        weights: { bias: 3, logit: 1, vs_other_budgets: 0, vs_other_items: 0 },
      };
    });

    const error = await loadError(dir);

    expect(error.code).toBe('golden_mismatch');
    expect(error.message).toMatch(/differs from the expected/);
  });

  it('are re-run by publish, which never publishes a model that would be refused', async () => {
    const store = new DirectoryStore(artifact('2026-12-01T000003Z'));
    const broken = nanArtifact(artifact('2026-12-01T000004Z'));

    const error = await publishVersion(store, broken).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as ModelLoadError).code).toBe('golden_mismatch');
    expect(await store.exists('versions/2026-12-01T000004Z/manifest.json')).toBe(false);
  });
});

describe('firstGoldenFailure', () => {
  const at = (actual: number, expected?: number) => [{ request: 'r', pair: 3, actual, expected }];

  it.each([
    [Number.NaN, 0.5, 'golden request "r" pair 3: score is NaN (not finite), expected 0.5'],
    [Number.POSITIVE_INFINITY, undefined, 'golden request "r" pair 3: score is Infinity (not finite)'],
    [1.5, undefined, 'golden request "r" pair 3: score 1.5 is outside [0, 1]'],
    [-0.1, undefined, 'golden request "r" pair 3: score -0.1 is outside [0, 1]'],
    [0.6, 0.5, 'golden request "r" pair 3: score 0.6 differs from the expected 0.5 by more than 0.001'],
  ])('names %s against %s', (actual, expected, message) => {
    expect(firstGoldenFailure(at(actual, expected), 1e-3)).toBe(message);
  });

  it('passes scores within the tolerance, and any finite score in [0, 1] when not comparing', () => {
    expect(firstGoldenFailure(at(0.5004, 0.5), 1e-3)).toBeUndefined();
    expect(firstGoldenFailure(at(0.9, 0.5), 1e-3, false)).toBeUndefined();
  });
});
