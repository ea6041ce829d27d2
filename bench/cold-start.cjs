// One cold start, as Lambda does it: a fresh Node loads the bundled handler (TF.js resolved
// from NODE_PATH, as from the layer), the model loads, and the first request is answered.
// Run with the bundle directory as the working directory. Prints one JSON line.
const bootMs = performance.now();
const event = JSON.parse(process.argv[2]);
const t0 = performance.now();
const { handler } = require(`${process.cwd()}/index.js`);
const requireMs = performance.now() - t0;
handler(event).then((reply) => {
  const firstReplyMs = performance.now() - t0 - requireMs;
  const ok = Array.isArray(reply) && reply.length === 1 && typeof reply[0].score === 'number';
  console.log(
    JSON.stringify({
      ok,
      boot_ms: bootMs,
      require_ms: requireMs,
      first_reply_ms: firstReplyMs,
      total_ms: performance.now(),
      rss_mb: process.memoryUsage().rss / 2 ** 20,
    }),
  );
});
