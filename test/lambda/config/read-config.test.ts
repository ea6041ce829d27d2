import { resolve } from 'node:path';
import { readConfig } from '../../../lambda/config';

describe('the model settings of readConfig', () => {
  it('serves the embedded model, re-checked never, when MODEL_STORE is unset', () => {
    const config = readConfig({});

    expect(config).toMatchObject({
      modelDir: resolve('models/default'),
      modelStore: undefined,
      modelAlias: 'live',
      shadowAlias: undefined,
      modelRefreshSeconds: 60,
      s3Endpoint: undefined,
      engine: 'auto',
    });
  });

  it('reads SCORING_ENGINE: auto (the dense pass where it covers the model) or tfjs', () => {
    expect(readConfig({ SCORING_ENGINE: 'tfjs' }).engine).toBe('tfjs');
    expect(readConfig({ SCORING_ENGINE: 'auto' }).engine).toBe('auto');
  });

  it('reads the store, aliases, refresh interval and S3 endpoint', () => {
    const config = readConfig({
      MODEL_STORE: 's3://acme-models/matcher',
      MODEL_ALIAS: 'live',
      SHADOW_ALIAS: 'candidate',
      MODEL_REFRESH_SECONDS: '0',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569',
    });

    expect(config).toMatchObject({
      modelStore: 's3://acme-models/matcher',
      shadowAlias: 'candidate',
      modelRefreshSeconds: 0,
      s3Endpoint: 'http://127.0.0.1:4569',
    });
    expect(readConfig({ MODEL_STORE: 'models/store' }).modelStore).toBe(resolve('models/store'));
  });

  it.each([
    [{ MODEL_STORE: 's3://' }, 'MODEL_STORE'],
    [{ MODEL_ALIAS: 'Live!' }, 'MODEL_ALIAS'],
    [{ MODEL_STORE: '/tmp/s', SHADOW_ALIAS: '../x' }, 'SHADOW_ALIAS'],
    [{ SHADOW_ALIAS: 'candidate' }, 'SHADOW_ALIAS'],
    [{ MODEL_REFRESH_SECONDS: '-5' }, 'MODEL_REFRESH_SECONDS'],
    [{ MODEL_REFRESH_SECONDS: 'soon' }, 'MODEL_REFRESH_SECONDS'],
    [{ SCORING_ENGINE: 'dense' }, 'SCORING_ENGINE'],
  ])('refuses %j, naming %s', (env, name) => {
    expect(() => readConfig(env)).toThrow(new RegExp(`configuration ${name}`));
  });
});

describe('the capture settings of readConfig', () => {
  it('captures every request into .data/captures by default, and reads the others', () => {
    expect(readConfig({}).captures).toEqual({
      enabled: true,
      sampleRate: 1,
      dir: resolve('.data/captures'),
      bucket: undefined,
      bufferBytes: 64 * 1024 * 1024,
    });
    expect(
      readConfig({
        CAPTURE: 'OFF',
        CAPTURE_SAMPLE_RATE: '0.25',
        CAPTURE_DIR: 'elsewhere',
        CAPTURE_BUCKET: 'acme-captures',
        CAPTURE_BUFFER_MB: '8',
      }).captures,
    ).toEqual({
      enabled: false,
      sampleRate: 0.25,
      dir: resolve('elsewhere'),
      bucket: 'acme-captures',
      bufferBytes: 8 * 1024 * 1024,
    });
  });

  it.each([
    [{ CAPTURE: 'sometimes' }, 'CAPTURE'],
    [{ CAPTURE_SAMPLE_RATE: '1.5' }, 'CAPTURE_SAMPLE_RATE'],
    [{ CAPTURE_SAMPLE_RATE: 'half' }, 'CAPTURE_SAMPLE_RATE'],
    [{ CAPTURE_BUFFER_MB: '0' }, 'CAPTURE_BUFFER_MB'],
    [{ CAPTURE_BUCKET: 'Not_A_Bucket' }, 'CAPTURE_BUCKET'],
  ])('refuses %j with a ConfigurationError naming %s', (env, name) => {
    expect(() => readConfig(env)).toThrow(
      expect.objectContaining({ name: 'ConfigurationError', field: name }),
    );
  });
});
