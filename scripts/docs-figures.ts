import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { type FiguresFile, parseFiguresFile } from './figures/figures-file';
import { renderDoc } from './figures/render-figures';
import { FIGURES_DIR } from './figures/write-figures';

/**
 * `npm run docs:figures [-- --snapshot [name ...]] [--check]`
 *
 * Renders every `<!-- figures:<name> -->` block of README.md and docs/*.md from the committed
 * snapshots in docs/figures/. `--snapshot name ...` first copies .data/figures/<name>.json (what
 * the command last wrote) into docs/figures/ (`--snapshot` alone: every file there). `--check`
 * changes nothing and exits 1 when a document is not what its snapshots render.
 */
const ROOT = resolve(__dirname, '..');
export const SNAPSHOT_DIR = join(ROOT, 'docs', 'figures');

export function docFiles(root: string = ROOT): string[] {
  const docs = join(root, 'docs');
  const pages = existsSync(docs)
    ? readdirSync(docs, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.md'))
        .map((f) => join(docs, f))
    : [];
  return [join(root, 'README.md'), ...pages.sort()];
}

export function readSnapshots(dir: string = SNAPSHOT_DIR): Map<string, FiguresFile> {
  const files = new Map<string, FiguresFile>();
  if (!existsSync(dir)) return files;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const file = parseFiguresFile(readFileSync(join(dir, f), 'utf8'), `docs/figures/${f}`);
    if (`${file.name}.json` !== f) throw new Error(`docs/figures/${f}: its name is "${file.name}"`);
    files.set(file.name, file);
  }
  return files;
}

function snapshot(names: string[]): void {
  if (!existsSync(FIGURES_DIR)) throw new Error(`nothing to snapshot: ${FIGURES_DIR} does not exist`);
  const all = readdirSync(FIGURES_DIR).filter((n) => n.endsWith('.json'));
  const wanted = names.length > 0 ? names.map((n) => `${n}.json`) : all;
  mkdirSync(SNAPSHOT_DIR, { recursive: true });
  for (const f of wanted) {
    const from = join(FIGURES_DIR, f);
    if (!existsSync(from))
      throw new Error(`no ${relative(ROOT, from)}: run the command that writes it first`);
    parseFiguresFile(readFileSync(from, 'utf8'), relative(ROOT, from));
    copyFileSync(from, join(SNAPSHOT_DIR, basename(f)));
    console.log(`snapshot ${relative(ROOT, from)} -> docs/figures/${f}`);
  }
}

function main(argv: string[]): void {
  const check = argv.includes('--check');
  const at = argv.indexOf('--snapshot');
  if (at >= 0) {
    if (check) throw new Error('--snapshot and --check do not go together');
    snapshot(argv.slice(at + 1).filter((a) => !a.startsWith('--')));
  }
  const files = readSnapshots();
  let stale = 0;
  for (const path of docFiles()) {
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    const doc = renderDoc(text, files, relative(ROOT, path));
    if (doc.text === text) continue;
    stale++;
    if (check) console.error(`${relative(ROOT, path)}: figures blocks differ from docs/figures/`);
    else {
      writeFileSync(path, doc.text);
      console.log(`rendered ${relative(ROOT, path)} (${doc.blocks.join(', ')})`);
    }
  }
  if (check && stale > 0) process.exitCode = 1;
  else if (stale === 0) console.log('docs are up to date with docs/figures/');
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
