import { parseArgs } from 'node:util';

export const SCORE_USAGE =
  'usage: npm run score -- <requests.jsonl> --out <replies.jsonl> [--url URL | --function NAME [--qualifier ALIAS] [--endpoint-url URL] [--region REGION]] [--concurrency N]';

/** What `npm run score` was asked to do. */
export interface ScoreArgs {
  readonly input: string;
  readonly output: string;
  /** The service's base URL (`http://127.0.0.1:3000`); the route is appended. */
  readonly url?: string;
  readonly functionName?: string;
  readonly qualifier?: string;
  /** The Lambda API endpoint (the local server's, `http://127.0.0.1:3000`). */
  readonly endpointUrl?: string;
  readonly region?: string;
  /** Most calls in flight. @default 4 */
  readonly concurrency: number;
}

/** Reads the command line; throws a message (with the usage) when it cannot. */
export function parseScoreArgs(argv: readonly string[]): ScoreArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      url: { type: 'string' },
      function: { type: 'string' },
      qualifier: { type: 'string' },
      'endpoint-url': { type: 'string' },
      region: { type: 'string' },
      concurrency: { type: 'string', short: 'c' },
    },
  });
  const [input, ...extra] = positionals;
  if (!input || extra.length > 0) throw new Error(`one input file, please\n${SCORE_USAGE}`);
  if (!values.out) throw new Error(`--out is missing\n${SCORE_USAGE}`);
  if (values.url && (values.function || values['endpoint-url'] || values.qualifier)) {
    throw new Error(
      `--url calls the HTTP route; --function, --qualifier and --endpoint-url are for Lambda Invoke: pick one\n${SCORE_USAGE}`,
    );
  }
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new Error(`--concurrency must be a whole number from 1 to 256, not ${values.concurrency}`);
  }
  if (values.url) {
    try {
      new URL(values.url);
    } catch {
      throw new Error(`--url ${values.url} is not a URL (e.g. http://127.0.0.1:3000)`);
    }
  }
  return {
    input,
    output: values.out,
    ...(values.url ? { url: values.url } : {}),
    ...(values.function ? { functionName: values.function } : {}),
    ...(values.qualifier ? { qualifier: values.qualifier } : {}),
    ...(values['endpoint-url'] ? { endpointUrl: values['endpoint-url'] } : {}),
    ...(values.region ? { region: values.region } : {}),
    concurrency,
  };
}
