import { InstancePool } from '../../local/lambda-runtime/instance-pool';
import { lambdaEnvironment } from '../../local/lambda-runtime/lambda-environment';
import { resolveNode24 } from '../../local/lambda-runtime/node-binary';
import type { FunctionLayout } from '../../local/lambda-runtime/unpack-function';
import { processState } from './process-state';
import { TINY_CALL, tinyStackFunction } from './tiny-function';

/**
 * Run by `instance-pool.test.ts` in a process of its own: starts the tiny function (the layout in
 * `FREEZE_LAYOUT`, as JSON) with `freeze` on, invokes it once, waits until its instance is
 * stopped, sends the instance's pid and state to the parent and exits without shutting the pool down: the
 * exit hook must thaw the instance, which then sees its IPC channel close and ends.
 */
async function main(): Promise<void> {
  const layout = JSON.parse(process.env.FREEZE_LAYOUT ?? '') as FunctionLayout;
  const pool = new InstancePool({
    instance: {
      layout,
      node: resolveNode24(),
      env: lambdaEnvironment({
        functionName: 'tiny',
        fn: tinyStackFunction(),
        layout,
        region: 'us-east-1',
        env: {},
        deployTime: {},
      }),
    },
    memorySizeMb: 128,
    timeoutSeconds: 10,
    maxInstances: 1,
    idleSeconds: 600,
    freeze: true,
  });
  await pool.invoke({ n: 1 }, TINY_CALL);
  const pid = pool.pids()[0] as number;
  const state = () => processState(pid);
  for (const deadline = Date.now() + 10_000; state() !== 'T' && Date.now() < deadline; )
    await new Promise((resolve) => setTimeout(resolve, 10));
  process.send?.({ pid, state: state() }, () => process.exit(0));
}

void main();
