/**
 * Waits for `done`, or `ms`, whichever comes first; resolves `true` when `done` settled in time.
 * The timer is cleared either way, so a finished wait never keeps the process alive.
 */
export async function waitAtMost(done: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([done.then(() => true as const), expired]);
  } finally {
    clearTimeout(timer);
  }
}
