import { readBatchConfig } from '../../../lambda/batch/batch-config';
import { ConfigurationError } from '../../../lambda/errors';

describe('readBatchConfig', () => {
  it('has its defaults when nothing is set', () => {
    expect(readBatchConfig({})).toEqual({
      prefix: 'batch/',
      linesPerItem: 100,
      maxItemBytes: 64 * 1024 * 1024,
    });
  });

  it('refuses unusable values with a ConfigurationError naming the setting', () => {
    const cases: [NodeJS.ProcessEnv, string][] = [
      [{ BATCH_PREFIX: 'batch' }, 'configuration BATCH_PREFIX: "batch" must end with "/"'],
      [
        { BATCH_LINES_PER_ITEM: '0' },
        'configuration BATCH_LINES_PER_ITEM: "0" is not a positive whole number',
      ],
      [
        { BATCH_MAX_ITEM_BYTES: '1.5' },
        'configuration BATCH_MAX_ITEM_BYTES: "1.5" is not a positive whole number',
      ],
    ];
    for (const [env, message] of cases) {
      let thrown: unknown;
      try {
        readBatchConfig(env);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigurationError);
      expect((thrown as Error).message).toBe(message);
    }
  });
});
