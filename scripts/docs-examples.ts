import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { startLocalServer } from '../local/start-local-server';
import { docFiles } from './docs-figures';

/**
 * The docs' request examples, run against a real local server. An example is a `curl` against
 * http://127.0.0.1:3000 marked `<!-- example -->`, followed by a ```json block with its reply:
 *
 *     <!-- example -->
 *     ```sh
 *     curl -s http://127.0.0.1:3000/budget_expense_matcher --data @events/seed-request.json
 *     ```
 *     ```json
 *     [{"budget_id":"309366", ...}]
 *     ```
 *
 * `test/docs/examples.test.ts` checks every reply; `npm run docs:examples -- --write` starts a
 * server (port 0, a temporary results database) and writes the replies it gets into the docs.
 */
const ROOT = resolve(__dirname, '..');
const EXAMPLE = /^<!-- example -->\n```(?:sh|bash)\n([\s\S]*?)\n```\n```json\n([\s\S]*?)\n```/gm;
const LOCAL = 'http://127.0.0.1:3000';

export interface DocExample {
  /** `file:line` of the marker. */
  readonly where: string;
  readonly command: string;
  readonly expected: string;
  /** Offsets of the reply text in the document, to rewrite it. */
  readonly replyStart: number;
  readonly replyEnd: number;
  readonly request: { method: string; path: string; headers: Record<string, string>; body?: Buffer };
}

export function findExamples(text: string, source: string): DocExample[] {
  const examples: DocExample[] = [];
  for (const m of text.matchAll(EXAMPLE)) {
    const index = m.index ?? 0;
    const where = `${source}:${text.slice(0, index).split('\n').length}`;
    const command = (m[1] ?? '').replace(/\\\n\s*/g, ' ').trim();
    const expected = m[2] ?? '';
    const replyStart = index + m[0].length - expected.length - '\n```'.length;
    examples.push({
      where,
      command,
      expected,
      replyStart,
      replyEnd: replyStart + expected.length,
      request: parseCurl(command, where),
    });
  }
  const marked = text.match(/^<!-- example -->$/gm)?.length ?? 0;
  if (marked !== examples.length)
    throw new Error(`${source}: an <!-- example --> marker not followed by a sh block and a json block`);
  return examples;
}

/** The few curl options the docs use, read as curl would (quotes as a POSIX shell reads them). */
export function parseCurl(command: string, where: string): DocExample['request'] {
  const words = shellWords(command);
  if (words[0] !== 'curl') throw new Error(`${where}: an example must be one curl command`);
  let method: string | undefined;
  let url: string | undefined;
  const headers: Record<string, string> = {};
  let body: Buffer | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i] ?? '';
    const value = () => {
      const v = words[++i];
      if (v === undefined) throw new Error(`${where}: ${w} needs a value`);
      return v;
    };
    if (w === '-s' || w === '--silent' || w === '-S') continue;
    else if (w === '-X' || w === '--request') method = value();
    else if (w === '-H' || w === '--header') {
      const h = value();
      const colon = h.indexOf(':');
      headers[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
    } else if (w === '-d' || w === '--data' || w === '--data-binary' || w === '--data-raw') {
      const v = value();
      body = v.startsWith('@') && w !== '--data-raw' ? readFileSync(join(ROOT, v.slice(1))) : Buffer.from(v);
    } else if (!w.startsWith('-') && url === undefined) url = w;
    else throw new Error(`${where}: curl option ${w} is not one the example checker knows`);
  }
  if (!url?.startsWith(LOCAL)) throw new Error(`${where}: the example must call ${LOCAL}`);
  if (body && !headers['content-type']) headers['content-type'] = 'application/x-www-form-urlencoded';
  return { method: method ?? (body ? 'POST' : 'GET'), path: url.slice(LOCAL.length), headers, body };
}

function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) word += line[j] === '\\' ? (line[++j] ?? '') : line[j];
      i = j;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Sends one example's request to `baseUrl`; the reply body as text. */
export async function runExample(example: DocExample, baseUrl: string): Promise<string> {
  const { method, path, headers, body } = example.request;
  const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body ? { body } : {}) });
  return response.text();
}

/** Equal as JSON, numbers within `tolerance` (scores differ in the 6th decimal between backends). */
export function sameJson(a: unknown, b: unknown, tolerance = 1e-5): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= tolerance;
  if (Array.isArray(a) || Array.isArray(b))
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((x, i) => sameJson(x, b[i], tolerance))
    );
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return (
      sameJson(ka, kb, 0) &&
      ka.every((k) =>
        sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], tolerance),
      )
    );
  }
  return a === b;
}

export function allExamples(): { path: string; text: string; examples: DocExample[] }[] {
  return docFiles().map((path) => {
    const text = readFileSync(path, 'utf8');
    return { path, text, examples: findExamples(text, relative(ROOT, path)) };
  });
}

async function main(): Promise<void> {
  if (!process.argv.includes('--write')) {
    console.log('usage: npm run docs:examples -- --write   (the check is test/docs/examples.test.ts)');
    return;
  }
  const docs = allExamples();
  // Recording costs an embedded database's start; only the labels route needs it.
  const recording = docs.some((d) => d.examples.some((e) => e.request.path.startsWith('/feedback')));
  const dir = mkdtempSync(join(tmpdir(), 'docs-examples-'));
  const running = await startLocalServer({
    ...process.env,
    PORT: '0',
    RESULTS_DB: recording ? 'on' : 'off',
    RESULTS_DB_DIR: dir,
    DATABASE_URL: '',
    TFJS_BACKEND: 'wasm,cpu',
  });
  try {
    for (const doc of docs) {
      let text = doc.text;
      for (const example of [...doc.examples].reverse()) {
        const reply = layOut(await runExample(example, running.url));
        text = text.slice(0, example.replyStart) + reply + text.slice(example.replyEnd);
      }
      if (text !== doc.text) {
        writeFileSync(doc.path, text);
        console.log(`wrote the replies in ${relative(ROOT, doc.path)}`);
      }
    }
  } finally {
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A JSON list with one entry a line (readable in the docs); anything else as it came. */
export function layOut(reply: string): string {
  let value: unknown;
  try {
    value = JSON.parse(reply);
  } catch {
    return reply;
  }
  if (!Array.isArray(value) || value.length < 2) return JSON.stringify(value);
  return `[${value.map((v) => JSON.stringify(v)).join(',\n ')}]`;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
