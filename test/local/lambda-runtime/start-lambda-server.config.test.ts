import { readLambdaRuntimeConfig } from '../../../local/lambda-runtime/start-lambda-server';

describe("start:lambda's own settings (readLambdaRuntimeConfig)", () => {
  it('has the documented defaults: instances not frozen between invocations, reaped after 300 s idle', () => {
    expect(readLambdaRuntimeConfig({})).toEqual({
      idleSeconds: 300,
      batchWindowMs: 200,
      sqsDelayMs: 0,
      freeze: false,
    });
  });

  it('reads LAMBDA_FREEZE on and off, in any case', () => {
    expect(readLambdaRuntimeConfig({ LAMBDA_FREEZE: 'off' }).freeze).toBe(false);
    expect(readLambdaRuntimeConfig({ LAMBDA_FREEZE: ' OFF ' }).freeze).toBe(false);
    expect(readLambdaRuntimeConfig({ LAMBDA_FREEZE: 'on' }).freeze).toBe(true);
    expect(readLambdaRuntimeConfig({ LAMBDA_FREEZE: ' On' }).freeze).toBe(true);
    expect(readLambdaRuntimeConfig({ LAMBDA_FREEZE: '' }).freeze).toBe(false);
  });

  it('names the setting and the value when one is unusable', () => {
    expect(() => readLambdaRuntimeConfig({ LAMBDA_FREEZE: 'no' })).toThrow(
      'configuration LAMBDA_FREEZE: "no" is not on or off',
    );
    expect(() => readLambdaRuntimeConfig({ LAMBDA_IDLE_SECONDS: '0' })).toThrow(
      'configuration LAMBDA_IDLE_SECONDS: "0" is not a number from 0.1 to 86400',
    );
  });
});
