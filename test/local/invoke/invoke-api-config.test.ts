import { DEFAULT_INVOKE_API_CONFIG, readInvokeApiConfig } from '../../../local/invoke';

describe('readInvokeApiConfig', () => {
  it('defaults to the deployed function: its name, the live alias, 25 s and 1024 MB', () => {
    const config = readInvokeApiConfig({});

    expect(config).toEqual(DEFAULT_INVOKE_API_CONFIG);
    expect(config).toMatchObject({
      functionName: 'budget-expense-matcher',
      timeoutSeconds: 25,
      memorySizeMb: 1024,
    });
  });

  it('reads every setting from the environment', () => {
    const config = readInvokeApiConfig({
      FUNCTION_NAME: 'matcher-staging',
      FUNCTION_ALIASES: 'live, canary',
      FUNCTION_TIMEOUT_SECONDS: '3',
      FUNCTION_MEMORY_MB: '2048',
      AWS_REGION: 'eu-central-1',
      FUNCTION_CONCURRENCY: '4',
      INVOKE_THROTTLE_SHARE: '0.5',
      FUNCTION_MAX_PAYLOAD_BYTES: '33554432',
    });

    expect(config).toEqual({
      functionName: 'matcher-staging',
      aliases: ['live', 'canary'],
      timeoutSeconds: 3,
      memorySizeMb: 2048,
      region: 'eu-central-1',
      maxPayloadBytes: 33_554_432,
      echoLogs: true,
      concurrencyLimit: 4,
      throttleShare: 0.5,
    });
  });

  it.each([
    ['FUNCTION_NAME', 'no spaces allowed'],
    ['FUNCTION_ALIASES', 'live,7'],
    ['FUNCTION_TIMEOUT_SECONDS', 'soon'],
    ['FUNCTION_TIMEOUT_SECONDS', '901'],
    ['FUNCTION_MEMORY_MB', '64'],
    ['FUNCTION_CONCURRENCY', '0'],
    ['INVOKE_THROTTLE_SHARE', '1.5'],
    ['INVOKE_THROTTLE_SHARE', 'half'],
    ['FUNCTION_MAX_PAYLOAD_BYTES', '6 MB'],
  ])('fails naming %s when it is %j', (name, value) => {
    expect(() => readInvokeApiConfig({ [name]: value })).toThrow(`configuration ${name}:`);
  });
});
