import { type ServerProcessState, serverState, startOpenLambdaServer } from './lambda-server-state';

/**
 * `start:lambda` in a process of its own, as `npm run start:lambda` runs it, for
 * `npm run bench:invoke` (`bench/start-lambda.ts` forks it): the bench's SDK client then runs in
 * the bench's process, as a caller's would, not on the emulator's event loop. Started with the
 * environment the bench chose; once the local results database is open it sends `ready` with
 * its URL, then answers `state` (the instances' process ids, the pools' counts, the queue's
 * depth) and `close` over Node's IPC channel.
 */
export type ServerProcessMessage =
  | { readonly type: 'ready'; readonly url: string }
  | { readonly type: 'state'; readonly state: ServerProcessState }
  | { readonly type: 'closed' }
  | { readonly type: 'failed'; readonly message: string };

async function main(): Promise<void> {
  const running = await startOpenLambdaServer();
  const send = (message: ServerProcessMessage) => process.send?.(message);
  let closing = false;
  process.on('message', (message: { type: string }) => {
    if (message.type === 'state') {
      send({ type: 'state', state: serverState(running) });
    } else if (message.type === 'close') {
      closing = true;
      // Exits once the message is out (an exit straight after `send` can lose it).
      void running.close().then(() => process.send?.({ type: 'closed' }, () => process.exit(0)));
    }
  });
  // The bench gone (an error, a kill) or interrupted (Ctrl-C reaches the whole process group):
  // end this server too, its instances shut down as `npm run start:lambda` shuts them down,
  // rather than leave it running or, with LAMBDA_FREEZE=on, leave them stopped.
  const end = () => {
    if (closing) return;
    closing = true;
    void running.close().finally(() => process.exit(0));
  };
  process.once('disconnect', end);
  process.once('SIGINT', end);
  process.once('SIGTERM', end);
  send({ type: 'ready', url: running.url });
}

main().catch((error: unknown) => {
  const failed = { type: 'failed', message: error instanceof Error ? error.message : String(error) };
  if (process.send) process.send(failed, () => process.exit(1));
  else process.exit(1);
});
