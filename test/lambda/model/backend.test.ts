import { parseBackendList } from '../../../lambda/config';
import { statusOf } from '../../../lambda/edge';
import { ModelLoadError } from '../../../lambda/errors';
import { selectBackend } from '../../../lambda/model/backend';

describe('selectBackend', () => {
  it('fails with a 503 ModelLoadError naming TFJS_BACKEND when no backend starts', async () => {
    const selecting = selectBackend([]);

    await expect(selecting).rejects.toBeInstanceOf(ModelLoadError);
    await expect(selecting).rejects.toMatchObject({ code: 'no_backend', field: 'TFJS_BACKEND' });
    expect(statusOf(await selecting.catch((error: unknown) => error))).toBe(503);
  });

  it('tries again after a failure and activates the first backend that loads', async () => {
    const backend = await selectBackend(['cpu']);

    expect(backend).toBe('cpu');
  });
});

describe('parseBackendList', () => {
  it('reads a comma-separated list and names a bad entry', () => {
    expect(parseBackendList(' wasm, cpu ')).toEqual(['wasm', 'cpu']);
    expect(() => parseBackendList('cpu,gpu')).toThrow(/gpu/);
  });
});
