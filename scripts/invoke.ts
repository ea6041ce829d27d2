import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const USAGE = `usage: npm run invoke -- <event.json | -> [--qualifier live|$LATEST]
  Runs the predict handler once on the event (a file from events/, or - for stdin), the way Lambda
  would: the reply goes to stdout, the function's log (START ... REPORT) and the duration to stderr.
  FUNCTION_TIMEOUT_SECONDS and FUNCTION_MEMORY_MB apply as for the local Invoke API.`;

/** A command line that cannot be run; its message is all the user needs to see. */
class UsageError extends Error {}

/** `npm run invoke -- events/<file>.json`: one invocation from the command line, like `sam local invoke`. */
async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { qualifier: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0)
    throw new UsageError('give exactly one event file (or - for stdin)');
  const event = readEvent(file);

  // stdout carries the reply and nothing else: whatever the function writes, at init (the model
  // loading in the background) as during the invocation, goes to stderr as its log. The Invoke
  // API's log capture is loaded after the switch, so it, too, sees stderr as "the terminal".
  const writeReply = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  const { invokeFunction, LOCAL_ACCOUNT_ID, readInvokeApiConfig, resolveFunction, writeToTerminal } =
    await import('../local/invoke');

  const config = readInvokeApiConfig();
  const target = resolveFunction(config.functionName, values.qualifier, config, {
    region: config.region,
    accountId: LOCAL_ACCOUNT_ID,
  });
  const started = performance.now();
  // Imported here, not at the top, so its module initialisation is measured as Lambda's Init Duration.
  const { handler } = await import('../lambda/predict');
  const initMs = performance.now() - started;
  const result = await invokeFunction(handler, event, {
    functionName: target.functionName,
    functionVersion: target.executedVersion,
    invokedFunctionArn: target.invokedFunctionArn,
    timeoutSeconds: config.timeoutSeconds,
    memorySizeMb: config.memorySizeMb,
    echo: (chunk) => writeToTerminal(chunk, 'stderr'),
  });
  console.error(
    `${result.functionError ? `function error: ${result.functionError}, ` : ''}duration ${result.durationMs.toFixed(1)} ms (init ${initMs.toFixed(1)} ms)`,
  );
  await new Promise<void>((resolve) => writeReply(`${result.payload}\n`, () => resolve()));
  return result.functionError ? 1 : 0;
}

function readEvent(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(error instanceof UsageError ? `${message}\n${USAGE}` : `invoke failed: ${message}`);
    process.exit(2);
  },
);
