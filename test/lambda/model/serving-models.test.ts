import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { type Config, readConfig } from '../../../lambda/config';
import type { ReplyEntry, ScoredEntry } from '../../../lambda/contract';
import { ModelLoadError } from '../../../lambda/errors';
import { FEATURE_COUNT } from '../../../lambda/features';
import { ServingModels, type SlotLogger } from '../../../lambda/model';
import { type ModelStore, openStore, writePointer } from '../../../lambda/model-store';
import { s3Client } from '../../../lambda/model-store/s3-store';
import { createPredictHandler } from '../../../lambda/predict';
import { MemorySink } from '../../../lambda/results';
import { promoteVersion, publishVersion, rollbackAlias } from '../../../ops/model-admin';
import { loadEvent } from '../../helpers/events';
import { nanArtifact, rewriteManifest, useArtifactVersions } from '../../helpers/model-artifacts';
import { startS3Server, useS3Server } from '../../helpers/s3-server';

const LIVE = '2026-09-01T000000Z';
const NEXT = '2026-09-02T000000Z';

const s3 = useS3Server();
const artifact = useArtifactVersions();

/** A fresh S3 store whose `live` alias names {@link LIVE}, and a config serving from it. */
async function liveStore(configExtra: Partial<Config> = {}): Promise<{ store: ModelStore; config: Config }> {
  const url = s3.storeUrl('serving');
  const store = openStore(url, s3.endpoint);
  await publishVersion(store, artifact(LIVE), { alias: 'live' });
  const config: Config = {
    ...readConfig({}),
    backends: ['cpu'],
    modelStore: url,
    s3Endpoint: s3.endpoint,
    modelRefreshSeconds: 0,
    ...configExtra,
  };
  return { store, config };
}

/** Collects what a slot logs, to check the reason a load failed. */
class RecordingLogger implements SlotLogger {
  readonly entries: Array<{ level: string; message: string; extra: Record<string, unknown> }> = [];
  info(message: string, extra: Record<string, unknown>): void {
    this.entries.push({ level: 'info', message, extra });
  }
  error(message: string, extra: Record<string, unknown>): void {
    this.entries.push({ level: 'error', message, extra });
  }
  lastError(): Record<string, unknown> | undefined {
    return this.entries.filter((e) => e.level === 'error').at(-1)?.extra;
  }
}

async function putObject(store: ModelStore, key: string, body: Uint8Array): Promise<void> {
  const [, bucket, prefix] = /^s3:\/\/([^/]+)\/(.*)$/.exec(store.location) ?? [];
  await s3Client(s3.endpoint).send(
    new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${key}`, Body: body }),
  );
}

function handlerFor(config: Config, sink = new MemorySink()) {
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  return createPredictHandler({ config, sink, logger });
}

const tripRequest = () => loadEvent('direct-invoke-trip');
/** The whole-trip request through API Gateway, whose reply carries `x-model-version`. */
const tripEvent = () => ({ ...loadEvent('api-gateway-seed'), body: JSON.stringify(tripRequest()) });

describe('serving from a model store', () => {
  it('serves the live version and picks up a promotion without a restart', async () => {
    const { store, config } = await liveStore();
    const handler = handlerFor(config);
    const before = (await handler(tripEvent())) as APIGatewayProxyResult;
    // The new version scores everything near 0: its output bias is far negative.
    await publishVersion(store, artifact(NEXT, { outputBias: -30 }));

    await promoteVersion(store, 'live', NEXT);
    const after = (await handler(tripEvent())) as APIGatewayProxyResult;

    expect(before.headers?.['x-model-version']).toBe(LIVE);
    expect(after.headers?.['x-model-version']).toBe(NEXT);
    const best = (reply: APIGatewayProxyResult) =>
      Math.max(...(JSON.parse(reply.body) as ScoredEntry[]).map((e) => e.score));
    expect(best(before)).toBeGreaterThan(0.9);
    expect(best(after)).toBeLessThan(0.001); // the reciprocal stage lifts a network 0 to about 2e-5
  });

  it('picks up a rollback the same way', async () => {
    const { store, config } = await liveStore();
    const handler = handlerFor(config);
    await publishVersion(store, artifact(NEXT), { alias: 'live' });
    const promoted = (await handler(tripEvent())) as APIGatewayProxyResult;

    await rollbackAlias(store, 'live');
    const rolledBack = (await handler(tripEvent())) as APIGatewayProxyResult;

    expect(promoted.headers?.['x-model-version']).toBe(NEXT);
    expect(rolledBack.headers?.['x-model-version']).toBe(LIVE);
  });

  it('keeps the loaded model between re-checks', async () => {
    const { store, config } = await liveStore({ modelRefreshSeconds: 3600 });
    const handler = handlerFor(config);
    await handler(tripEvent());
    await publishVersion(store, artifact(NEXT), { alias: 'live' });

    const reply = (await handler(tripEvent())) as APIGatewayProxyResult;

    expect(reply.headers?.['x-model-version']).toBe(LIVE);
  });

  it('scores with the shadow alias too: the reply has live scores only, the sink gets both', async () => {
    const { store, config } = await liveStore({ shadowAlias: 'candidate' });
    await publishVersion(store, artifact(NEXT, { outputBias: -30 }), { alias: 'candidate' });
    const sink = new MemorySink();
    const withoutShadow = (await handlerFor({ ...config, shadowAlias: undefined })(
      tripRequest(),
    )) as ReplyEntry[];

    const reply = (await handlerFor(config, sink)(tripRequest())) as ReplyEntry[];

    expect(reply).toEqual(withoutShadow);
    const live = sink.rows.filter((r) => r.role === 'live');
    const shadow = sink.rows.filter((r) => r.role === 'shadow');
    expect(live).toHaveLength(reply.length);
    expect(shadow).toHaveLength(reply.length);
    expect(new Set(live.map((r) => r.model_version))).toEqual(new Set([LIVE]));
    expect(new Set(shadow.map((r) => r.model_version))).toEqual(new Set([NEXT]));
    expect(shadow.map((r) => [r.budget_id, r.itemization_id])).toEqual(
      live.map((r) => [r.budget_id, r.itemization_id]),
    );
    expect(shadow.every((r) => (r.score ?? 1) < 0.001)).toBe(true);
  });

  it('reports the shadow version on /health', async () => {
    const { store, config } = await liveStore({ shadowAlias: 'candidate' });
    await publishVersion(store, artifact(NEXT), { alias: 'candidate' });

    const reply = (await handlerFor(config)(loadEvent('api-gateway-health'))) as APIGatewayProxyResult;

    expect(JSON.parse(reply.body)).toMatchObject({ model_version: LIVE, shadow_model_version: NEXT });
  });

  it('never fails a request because the shadow version cannot load', async () => {
    const { store, config } = await liveStore({ shadowAlias: 'candidate' });
    await writePointer(store, { alias: 'candidate', version: NEXT, updated_at: '', history: [] });
    const sink = new MemorySink();

    const reply = (await handlerFor(config, sink)(tripRequest())) as ReplyEntry[];

    expect(reply.length).toBeGreaterThan(0);
    expect(reply.every((e) => typeof e.score === 'number')).toBe(true);
    expect(sink.rows.map((r) => r.role)).toEqual(reply.map(() => 'live'));
  });

  it('answers a cold start whose live version cannot load with a labelled 503, not a crash', async () => {
    const { store, config } = await liveStore();
    await writePointer(store, { alias: 'live', version: '2026-01-01T000000Z', updated_at: '', history: [] });

    const reply = (await handlerFor(config)(tripEvent())) as APIGatewayProxyResult;

    expect(reply.statusCode).toBe(503);
    expect(JSON.parse(reply.body).error.code).toBe('model_unavailable');
  });
});

describe('a new version that fails to load leaves the serving model untouched', () => {
  /** Serves LIVE, then points `live` at a broken NEXT (made by `breakIt`) and re-checks. */
  async function refreshTo(
    breakIt: (store: ModelStore, version: string) => Promise<void>,
    url = s3.storeUrl('broken'),
  ) {
    const store = openStore(url, s3.endpoint);
    await publishVersion(store, artifact(LIVE), { alias: 'live' });
    const logger = new RecordingLogger();
    const models = new ServingModels(
      {
        ...readConfig({}),
        backends: ['cpu'],
        modelStore: url,
        s3Endpoint: s3.endpoint,
        modelRefreshSeconds: 0,
      },
      logger,
    );
    const serving = await models.live();
    await breakIt(store, NEXT);
    await writePointer(store, {
      alias: 'live',
      version: NEXT,
      updated_at: new Date().toISOString(),
      history: [{ version: LIVE, until: new Date().toISOString() }],
    });

    await models.refresh();

    return { before: serving, after: await models.live(), logged: logger.lastError(), store, models, logger };
  }

  const weightsKey = `versions/${NEXT}/weights.bin`;

  it.each([
    [
      'a corrupted shard',
      'checksum_mismatch',
      async (store: ModelStore, version: string) => {
        await publishVersion(store, artifact(version));
        const weights = readFileSync(join(artifact(version), 'weights.bin'));
        weights[100] = (weights[100] ?? 0) ^ 0x40;
        await putObject(store, weightsKey, weights);
      },
    ],
    [
      'a truncated object',
      'checksum_mismatch',
      async (store: ModelStore, version: string) => {
        await publishVersion(store, artifact(version));
        const weights = readFileSync(join(artifact(version), 'weights.bin'));
        await putObject(store, weightsKey, weights.subarray(0, weights.length - 64));
      },
    ],
    ['a missing version', 'model_not_found', async () => {}],
    [
      'a feature spec hash this code does not implement',
      'feature_spec_mismatch',
      async (store: ModelStore, version: string) => {
        const dir = artifact(version);
        rewriteManifest(dir, (m) => {
          (m.feature_spec as { hash: string }).hash = 'e'.repeat(64);
        });
        await publishVersion(store, dir);
      },
    ],
    [
      'weights that score NaN, checksums re-computed (put in the store by hand: publish refuses it)',
      'golden_mismatch',
      async (store: ModelStore, version: string) => {
        const dir = nanArtifact(artifact(version));
        for (const file of ['model.json', 'weights.bin', 'vendor-aliases.json', 'manifest.json'])
          await store.writeFile(`versions/${version}/${file}`, join(dir, file));
      },
    ],
  ])('%s: %s, logged with the reason', async (_name, code, breakIt) => {
    const { before, after, logged } = await refreshTo(breakIt);

    expect(after).toBe(before);
    expect(after.version).toBe(LIVE);
    expect(logged).toMatchObject({ role: 'live', serving_version: LIVE, target_version: NEXT, code });
    expect(after.score(new Float32Array(FEATURE_COUNT), 1)).toHaveLength(1);
  });

  it('does not fetch a refused version again until the alias moves', async () => {
    const { models, store, logger } = await refreshTo(async () => {});
    const errorsAfterFirst = logger.entries.filter((e) => e.level === 'error').length;

    await models.refresh();
    await publishVersion(store, artifact(NEXT));
    await models.refresh();
    const errorsLater = logger.entries.filter((e) => e.level === 'error').length;
    const servingLater = (await models.live()).version;
    await promoteVersion(store, 'live', LIVE);
    await models.refresh();
    await promoteVersion(store, 'live', NEXT);
    await models.refresh();

    expect(errorsAfterFirst).toBe(1);
    expect(errorsLater).toBe(1);
    expect(servingLater).toBe(LIVE);
    expect((await models.live()).version).toBe(NEXT);
  });

  it('an unreachable store: store_unreachable, and the loaded model keeps serving', async () => {
    const own = await startS3Server();
    const url = `s3://${own.bucket}/unreachable`;
    const store = openStore(url, own.endpoint);
    await publishVersion(store, artifact(LIVE), { alias: 'live' });
    const logger = new RecordingLogger();
    const models = new ServingModels(
      {
        ...readConfig({}),
        backends: ['cpu'],
        modelStore: url,
        s3Endpoint: own.endpoint,
        modelRefreshSeconds: 0,
      },
      logger,
    );
    const serving = await models.live();

    await own.close();
    const after = await models.live();

    expect(after).toBe(serving);
    expect(logger.lastError()).toMatchObject({ code: 'store_unreachable', serving_version: LIVE });
  });

  it('with nothing loaded yet, never fetches a refused version again, and picks up a good one at once', async () => {
    const url = s3.storeUrl('cold');
    const store = openStore(url, s3.endpoint);
    await publishVersion(store, artifact(LIVE));
    await putObject(store, `versions/${LIVE}/weights.bin`, new Uint8Array(8));
    await publishVersion(store, artifact(NEXT));
    await writePointer(store, { alias: 'live', version: LIVE, updated_at: '', history: [] });
    const logger = new RecordingLogger();
    const models = new ServingModels(
      {
        ...readConfig({}),
        backends: ['cpu'],
        modelStore: url,
        s3Endpoint: s3.endpoint,
        modelRefreshSeconds: 3600,
      },
      logger,
    );
    const codes = async () => (await models.live().catch((e: { code: string }) => e)) as { code: string };

    const first = await codes();
    const second = await codes();
    await promoteVersion(store, 'live', NEXT);
    const third = await models.live();

    expect([first.code, second.code]).toEqual(['checksum_mismatch', 'checksum_mismatch']);
    expect(logger.entries.filter((e) => e.level === 'error')).toHaveLength(1);
    expect(third.version).toBe(NEXT);
  });

  it('tries a shadow version that cannot load at most once per refresh interval', async () => {
    const { store, config } = await liveStore({ shadowAlias: 'candidate', modelRefreshSeconds: 3600 });
    await writePointer(store, { alias: 'candidate', version: NEXT, updated_at: '', history: [] });
    const logger = new RecordingLogger();
    const models = new ServingModels(config, logger);

    const first = await models.forRequest();
    const second = await models.forRequest();

    expect([first.shadow, second.shadow]).toEqual([undefined, undefined]);
    expect(logger.entries.filter((e) => e.level === 'error').map((e) => e.extra.role)).toEqual(['shadow']);
  });

  it('the very first load failing is an error naming what is wrong (nothing to fall back to)', async () => {
    const url = s3.storeUrl('first');
    const store = openStore(url, s3.endpoint);
    await publishVersion(store, artifact(LIVE));
    await putObject(store, `versions/${LIVE}/weights.bin`, new Uint8Array(8));
    await writePointer(store, { alias: 'live', version: LIVE, updated_at: '', history: [] });
    const models = new ServingModels(
      {
        ...readConfig({}),
        backends: ['cpu'],
        modelStore: url,
        s3Endpoint: s3.endpoint,
        modelRefreshSeconds: 0,
      },
      new RecordingLogger(),
    );

    const error = await models.live().then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error).toMatchObject({ code: 'checksum_mismatch', field: 'weights.bin' });
  });
});

describe('ready(): the models at hand without waiting', () => {
  it('gives nothing before the first load, then the loaded live model, the same object each time', async () => {
    const models = new ServingModels({ ...readConfig({}), backends: ['cpu'] }, new RecordingLogger());
    const before = models.ready();

    const loaded = await models.live();

    expect(before).toBeUndefined();
    expect(models.ready()?.live).toBe(loaded);
    expect(models.ready()).toBe(models.ready());
    expect(models.ready()?.shadow).toBeUndefined();
  });

  it('gives nothing when a re-check of the store is due (forRequest waits for it)', async () => {
    const { config } = await liveStore({ modelRefreshSeconds: 0 });
    const models = new ServingModels(config, new RecordingLogger());

    await models.live();

    expect(models.ready()).toBeUndefined();
  });

  it('gives the loaded model while no re-check is due', async () => {
    const { config } = await liveStore({ modelRefreshSeconds: 3600 });
    const models = new ServingModels(config, new RecordingLogger());

    const loaded = await models.live();

    expect(models.ready()?.live).toBe(loaded);
  });

  it('gives nothing with a shadow alias set (the shadow is asked for each request)', async () => {
    const { config } = await liveStore({ shadowAlias: 'candidate', modelRefreshSeconds: 3600 });
    const models = new ServingModels(config, new RecordingLogger());

    await models.forRequest();

    expect(models.ready()).toBeUndefined();
  });
});
