import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A function's settings as the stack deploys them. */
export interface StackFunction {
  /** The handler string, `file.export` (`index.handler`). */
  readonly handler: string;
  /** The runtime, e.g. `nodejs24.x`. */
  readonly runtime: string;
  readonly memorySizeMb: number;
  readonly timeoutSeconds: number;
  /** Reserved concurrency, when the stack sets one. */
  readonly reservedConcurrency?: number;
  /** Environment variables with a literal value. */
  readonly environment: Readonly<Record<string, string>>;
  /** Environment variables whose value is only known once deployed (a queue URL, a secret ARN). */
  readonly deployTimeVariables: readonly string[];
}

/** The functions `start:lambda` runs, and how the results queue feeds the writer. */
export interface StackFunctions {
  readonly predict: StackFunction;
  readonly writer: StackFunction;
  /** The labels function (`POST /feedback`), when the stack has one. */
  readonly labels?: StackFunction;
  /** The writer's SQS event source: records per batch, and the longest wait to fill one. */
  readonly writerEventSource: { readonly batchSize: number; readonly maxBatchingWindowSeconds: number };
}

/** Where the settings are kept between runs, beside the hash of the sources they came from. */
export const STACK_FUNCTIONS_CACHE = '.data/lambda-runtime/stack-functions.json';

/** The sources the stack's function settings come from: a change to any of them means a new synth. */
const STACK_SOURCES = ['cdk', 'lambda/contract', 'cdk.json', 'local/lambda-runtime/stack-functions.ts'];

/**
 * The predict and writer functions' settings, read from the CDK stack itself (synthesised here,
 * with `cdk.json`'s context, as `cdk synth` would), so a local run uses the handler string,
 * memory, timeout, concurrency and environment that deploy. A synth takes tens of seconds, so the
 * result is kept in {@link STACK_FUNCTIONS_CACHE} until a file under `cdk/` changes.
 */
export async function readStackFunctions(
  options: { root?: string; log?: (line: string) => void } = {},
): Promise<StackFunctions> {
  const root = options.root ?? process.cwd();
  const key = sourcesHash(root);
  const cache = join(root, STACK_FUNCTIONS_CACHE);
  try {
    const cached = JSON.parse(readFileSync(cache, 'utf8')) as { key: string; functions: StackFunctions };
    if (cached.key === key) return cached.functions;
  } catch {
    // no cache yet, or unreadable: synthesise
  }
  options.log?.('reading the functions from the CDK stack (a synth, once until cdk/ changes)');
  const functions = await synthFunctions(root);
  mkdirSync(dirname(cache), { recursive: true });
  writeFileSync(cache, `${JSON.stringify({ key, functions }, null, 2)}\n`);
  return functions;
}

function sourcesHash(root: string): string {
  const hash = createHash('sha256');
  const files: string[] = [];
  for (const source of STACK_SOURCES) {
    const path = join(root, source);
    try {
      for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) files.push(join(entry.parentPath, entry.name));
      }
    } catch {
      files.push(path);
    }
  }
  for (const file of files.sort()) {
    hash.update(file);
    try {
      hash.update(readFileSync(file));
    } catch {
      hash.update('missing');
    }
  }
  return hash.digest('hex');
}

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

async function synthFunctions(root: string): Promise<StackFunctions> {
  const [{ App }, { Code }, { Template }, { MatcherStack }, { readMatcherContext }] = await Promise.all([
    import('aws-cdk-lib'),
    import('aws-cdk-lib/aws-lambda'),
    import('aws-cdk-lib/assertions'),
    import('../../cdk/matcher-stack'),
    import('../../cdk/context'),
  ]);
  const cdkJson = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const app = new App({ context: cdkJson.context ?? {} });
  const context = readMatcherContext((k) => app.node.tryGetContext(k));
  // The code does not change the settings: an empty asset stands for each zip.
  const asset = mkdtempSync(join(tmpdir(), 'stack-functions-'));
  try {
    writeFileSync(join(asset, 'index.js'), '');
    const code = () => Code.fromAsset(asset);
    const stack = new MatcherStack(app, 'Local', {
      env: { account: '000000000000', region: 'us-east-1' },
      code: { predict: code(), layer: code(), writer: code(), monitor: code(), labels: code() },
      predict: context.predict,
      auth: context.auth,
      throttle: context.throttle,
      existingDatabase: context.existingDatabase,
    });
    const resources = Object.entries(
      Template.fromStack(stack).toJSON().Resources as Record<string, Resource>,
    );
    const fn = (prefix: string) => {
      const found = resources.find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(prefix));
      if (!found) throw new Error(`the stack has no function ${prefix}`);
      return toStackFunction(found[1].Properties ?? {});
    };
    const labels = resources.find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('Labels'));
    const mapping =
      resources.find(([, r]) => r.Type === 'AWS::Lambda::EventSourceMapping')?.[1].Properties ?? {};
    return {
      predict: fn('PredictFunction'),
      writer: fn('ResultsWriter'),
      ...(labels ? { labels: toStackFunction(labels[1].Properties ?? {}) } : {}),
      writerEventSource: {
        batchSize: Number(mapping.BatchSize ?? 10),
        maxBatchingWindowSeconds: Number(mapping.MaximumBatchingWindowInSeconds ?? 0),
      },
    };
  } finally {
    rmSync(asset, { recursive: true, force: true });
  }
}

function toStackFunction(p: Record<string, unknown>): StackFunction {
  const variables = ((p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ??
    {}) as Record<string, unknown>;
  const environment: Record<string, string> = {};
  const deployTimeVariables: string[] = [];
  for (const [name, value] of Object.entries(variables)) {
    if (typeof value === 'string') environment[name] = value;
    else deployTimeVariables.push(name);
  }
  return {
    handler: String(p.Handler),
    runtime: String(p.Runtime),
    memorySizeMb: Number(p.MemorySize ?? 128),
    timeoutSeconds: Number(p.Timeout ?? 3),
    ...(p.ReservedConcurrentExecutions === undefined
      ? {}
      : { reservedConcurrency: Number(p.ReservedConcurrentExecutions) }),
    environment,
    deployTimeVariables,
  };
}
