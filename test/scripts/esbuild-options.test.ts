import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { FunctionInstance, InitError } from '../../local/lambda-runtime/function-instance';
import { handlerBuildOptions } from '../../scripts/esbuild-options';
import { loadEvent } from '../helpers/events';
import { useScratch } from '../helpers/scratch';

const ROOT = join(__dirname, '..', '..');
const RUNTIME_LOOP = join(ROOT, 'local', 'lambda-runtime', 'runtime-loop.cjs');

/** The JSON log lines in what a function wrote. */
const jsonLines = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

// The predict handler bundled exactly as `npm run build` bundles it (minified), then run by the
// local Lambda runtime loop: the names its logs give errors are the ones CloudWatch would show.
// In the fast suite although it builds: one esbuild entry and two short-lived processes, under a
// second, and the only check that names survive minification.
describe('the predict bundle (handlerBuildOptions) names its errors by their classes', () => {
  const scratch = useScratch();
  let task = '';

  beforeAll(async () => {
    task = join(scratch.dir('predict-bundle'), 'task');
    mkdirSync(task);
    await build({
      ...handlerBuildOptions(join(ROOT, 'lambda', 'predict.ts'), join(task, 'index.mjs'), { esm: true }),
      logLevel: 'error',
    });
  });

  /** One instance of the bundled function; the layer's packages come from the project's node_modules. */
  const start = (env: Record<string, string>, output: string[]) =>
    FunctionInstance.start({
      layout: { root: task, taskRoot: task, opt: task, runtimeLoop: RUNTIME_LOOP },
      env: {
        PATH: process.env.PATH ?? '',
        NODE_PATH: join(ROOT, 'node_modules'),
        LAMBDA_TASK_ROOT: task,
        _HANDLER: 'index.handler',
        TFJS_BACKEND: 'cpu',
        ...env,
      },
      node: process.execPath,
      echo: (chunk) => output.push(chunk.toString()),
    });

  it('is minified: the class names are not in its code as class declarations', () => {
    const code = readFileSync(join(task, 'index.mjs'), 'utf8');

    expect(code).not.toMatch(/class ConfigurationError\b/);
    expect(code).not.toMatch(/class ModelLoadError\b/);
  });

  it('fails its init with a ConfigurationError, by that name, for a setting it cannot use', async () => {
    const output: string[] = [];

    const error = await start({ TFJS_BACKEND: 'cpu,gpu' }, output).then(
      (instance) => {
        instance.kill();
        return undefined;
      },
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(InitError);
    expect((error as InitError).message).toMatch(/^ConfigurationError: configuration TFJS_BACKEND: unknown/);
  });

  it('logs a model it cannot load as a ModelLoadError, at init and for the request', async () => {
    const output: string[] = [];
    const instance = await start({ MODEL_DIR: scratch.dir('no-model') }, output);
    const requestLog: string[] = [];

    const outcome = await instance.invoke(
      loadEvent('api-gateway-seed'),
      {
        awsRequestId: 'names-test',
        functionVersion: '$LATEST',
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:predict',
        deadlineMs: Date.now() + 60_000,
      },
      (_stream, text) => requestLog.push(text),
    );
    instance.kill();

    expect(outcome).toMatchObject({ kind: 'ok', payload: expect.stringContaining('"statusCode":503') });
    // The load started at init may end (and log) during the first invocation.
    const lines = jsonLines([...output, ...requestLog].join(''));
    const errorOf = (message: string) => lines.find((l) => l.message === message)?.error;
    expect(errorOf('model load failed at init')).toMatchObject({ name: 'ModelLoadError' });
    expect(errorOf('request failed')).toMatchObject({ name: 'ModelLoadError', code: 'model_not_found' });
  });
});

describe('every error class, bundled by handlerBuildOptions', () => {
  const scratch = useScratch();

  it('keeps its name: each instance is named as the class is exported', async () => {
    const dir = scratch.dir('errors-bundle');
    writeFileSync(join(dir, 'entry.ts'), `export * from ${JSON.stringify(join(ROOT, 'lambda', 'errors'))};`);
    await build({ ...handlerBuildOptions(join(dir, 'entry.ts'), join(dir, 'index.js')), logLevel: 'error' });
    const bundled = require(join(dir, 'index.js')) as Record<string, unknown>;
    const classes = Object.entries(bundled).filter(
      (entry): entry is [string, new (...args: string[]) => Error] => typeof entry[1] === 'function',
    );

    const names = classes.map(([exported, ErrorClass]) => [
      exported,
      new ErrorClass('invalid_request', 'x').name,
    ]);

    expect(classes.length).toBeGreaterThanOrEqual(10);
    for (const [exported, name] of names) expect(name).toBe(exported);
  });
});
