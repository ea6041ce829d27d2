import { resolve } from 'node:path';
import { MatcherClient } from '../clients/typescript/src';
import { parseScoreArgs, SCORE_USAGE } from './score/parse-score-args';
import { ProgressBar } from './score/progress-bar';
import { runScore, type ScoreSummary } from './score/run-score';

/**
 * `npm run score -- <requests.jsonl> --out <replies.jsonl> [--url URL | --function NAME
 * [--endpoint-url URL]] [--concurrency N]`: one matcher request a line in, one reply a line out,
 * in order, through the client (`clients/typescript/`); resumable. See docs/clients.md.
 */
async function main(): Promise<number> {
  let args: ReturnType<typeof parseScoreArgs>;
  try {
    args = parseScoreArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const local = args.endpointUrl !== undefined && isLoopback(args.endpointUrl);
  const client = new MatcherClient({
    concurrency: args.concurrency,
    ...(args.url === undefined
      ? {
          ...(args.functionName === undefined ? {} : { functionName: args.functionName }),
          ...(args.qualifier === undefined ? {} : { qualifier: args.qualifier }),
          ...(args.endpointUrl === undefined ? {} : { endpoint: args.endpointUrl }),
          // The local server takes any credentials and region; AWS needs the SDK's own.
          ...(local && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE
            ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
            : {}),
          ...(args.region !== undefined
            ? { region: args.region }
            : local && !process.env.AWS_REGION
              ? { region: 'us-east-1' }
              : {}),
        }
      : { url: args.url, ...(args.region === undefined ? {} : { region: args.region }) }),
  });
  const bar = process.stderr.isTTY ? new ProgressBar(process.stderr) : undefined;
  let summary: ScoreSummary;
  try {
    summary = await runScore({
      input: args.input,
      output: args.output,
      client,
      window: args.concurrency * 4,
      ...(bar === undefined ? {} : { onProgress: (p) => bar.update(p) }),
    });
  } catch (error) {
    bar?.done();
    console.error(`score failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    client.destroy();
  }
  if (bar) {
    bar.update(summary, true);
    bar.done();
  }
  const { resumedAfter, answered, pairs, seconds, failedLines, entryErrors } = summary;
  const out = resolve(args.output);
  if (resumedAfter > 0) console.log(`resumed after line ${resumedAfter} (already in ${out})`);
  console.log(
    `answered ${answered} requests (${pairs.toLocaleString('en-US')} pairs) in ${seconds.toFixed(1)} s: ` +
      `${Math.round(summary.pairsPerSecond).toLocaleString('en-US')} pairs/s, ${summary.requestsPerSecond.toFixed(1)} requests/s`,
  );
  console.log(
    `${failedLines} lines answered with an error object, ${entryErrors} error entries inside replies`,
  );
  console.log(`replies: ${out} (${summary.done} of ${summary.total} lines)`);
  if (summary.stopped) {
    console.error(`stopped at ${summary.stopped}\nrun the same command again to resume from there`);
    return 1;
  }
  return 0;
}

function isLoopback(url: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`score failed: ${error instanceof Error ? error.message : String(error)}\n${SCORE_USAGE}`);
    process.exit(1);
  },
);
