import { resolve } from 'node:path';
import { lambdaEnvironment } from '../../../local/lambda-runtime/lambda-environment';

const layout = {
  root: '/tmp/fn',
  taskRoot: '/tmp/fn/task',
  opt: '/tmp/fn/opt',
  runtimeLoop: '/tmp/fn/runtime/bootstrap.cjs',
};
const fn = {
  handler: 'index.handler',
  runtime: 'nodejs24.x',
  memorySizeMb: 1024,
  timeoutSeconds: 25,
  environment: { TFJS_BACKEND: 'wasm,cpu', MAX_PAIRS: '50000', AWS_REGION: 'mars-1' },
  deployTimeVariables: ['RESULTS_QUEUE_URL', 'MODEL_STORE'],
};

describe('lambdaEnvironment', () => {
  it("gives Lambda's reserved variables with this machine's paths, then the stack's, and nothing of the shell", () => {
    const env = lambdaEnvironment({
      functionName: 'matcher',
      fn,
      layout,
      region: 'eu-west-1',
      env: { HOME: '/root', SECRET_OF_THE_SHELL: 'x' },
      deployTime: { RESULTS_QUEUE_URL: 'http://127.0.0.1:1/000000000000/results' },
    });

    expect(env).toMatchObject({
      _HANDLER: 'index.handler',
      LAMBDA_TASK_ROOT: '/tmp/fn/task',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_LAMBDA_FUNCTION_NAME: 'matcher',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
      AWS_REGION: 'eu-west-1',
      NODE_PATH:
        '/tmp/fn/opt/nodejs/node24/node_modules:/tmp/fn/opt/nodejs/node_modules:/tmp/fn/runtime/node_modules:/tmp/fn/runtime:/tmp/fn/task',
      TZ: ':UTC',
      TFJS_BACKEND: 'wasm,cpu',
      RESULTS_QUEUE_URL: 'http://127.0.0.1:1/000000000000/results',
    });
    expect(env).not.toHaveProperty('MODEL_STORE');
    expect(env).not.toHaveProperty('HOME');
    expect(env).not.toHaveProperty('SECRET_OF_THE_SHELL');
  });

  it('lets the local environment set the service settings, a relative model directory from where it runs', () => {
    const env = lambdaEnvironment({
      functionName: 'matcher',
      fn,
      layout,
      region: 'eu-west-1',
      env: { MODEL_DIR: 'models/other', TFJS_BACKEND: 'cpu', MODEL_STORE: 's3://bucket/models' },
      deployTime: {},
      local: { AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:1' },
    });

    expect(env).toMatchObject({
      MODEL_DIR: resolve('models/other'),
      TFJS_BACKEND: 'cpu',
      MODEL_STORE: 's3://bucket/models',
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:1',
    });
  });
});
