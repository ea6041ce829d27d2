import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';

/**
 * `test/` mirrors the source tree, so a file's tests are found by its path:
 * `test/<dir>/<name>[.<kind>].test.ts` tests `<dir>/<name>.ts` (or `.cjs`, `.py`, `.sql`, or the
 * folder `<dir>/<name>/`); `test/<dir>/<folder>.test.ts` where `<folder>` is `<dir>`'s own name
 * tests that folder as a whole. `<kind>` says how it tests (`slow`, `property`, `sdk`, `boto3`,
 * `memory`, ...). The few tests of something that is not one source file are listed here, each
 * with its reason.
 */
const NOT_ONE_SOURCE_FILE: Readonly<Record<string, string>> = {
  'test/test-layout.test.ts': 'this check itself: it tests the layout of test/',
  'test/docs/examples.test.ts': 'runs the examples written in README.md and docs/*.md against a local server',
  'test/lambda/features/fast-path.test.ts':
    'holds the whole hot path (contract parse, normalise, pair features) to the reference implementations in test/helpers/',
};

const ROOT = join(__dirname, '..');
const SOURCE_EXTENSIONS = ['.ts', '.cjs', '.py', '.sql'];

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(path);
    return entry.name.endsWith('.test.ts') ? [relative(ROOT, path)] : [];
  });
}

/** The source a test file's path names, or undefined when there is none. */
function sourceOf(testFile: string): string | undefined {
  const dir = dirname(testFile).replace(/^test(\/|$)/, '');
  const stem = basename(testFile, '.test.ts').split('.')[0] as string;
  const candidates = [
    ...SOURCE_EXTENSIONS.map((ext) => join(dir, `${stem}${ext}`)),
    join(dir, stem),
    ...(stem === basename(dir) ? [dir] : []),
  ];
  return candidates.find((path) => path !== '' && existsSync(join(ROOT, path)));
}

describe('test/ mirrors the source tree', () => {
  const files = testFiles(join(ROOT, 'test'));

  it('finds the tests (the walk works)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain('test/lambda/predict.test.ts');
  });

  it('names, by its path, the source file or folder each test file tests', () => {
    const orphans = files.filter((file) => !(file in NOT_ONE_SOURCE_FILE) && sourceOf(file) === undefined);

    expect(orphans).toEqual([]);
  });

  it('lists as exceptions only test files that exist and have no source of their own', () => {
    for (const file of Object.keys(NOT_ONE_SOURCE_FILE)) {
      expect({ file, exists: existsSync(join(ROOT, file)) }).toEqual({ file, exists: true });
      expect({ file, source: sourceOf(file) }).toEqual({ file, source: undefined });
    }
  });

  it('reads a kind of test, a folder test and a missing source as it says', () => {
    expect(sourceOf('test/local/invoke/invoke-api.sdk.test.ts')).toBe('local/invoke/invoke-api.ts');
    expect(sourceOf('test/ops/model-admin/model-admin.test.ts')).toBe('ops/model-admin');
    expect(sourceOf('test/lambda/no-such-file.test.ts')).toBeUndefined();
  });
});

describe('handlers stay thin (docs/architecture.md)', () => {
  const handlers = readdirSync(join(ROOT, 'lambda')).filter((name) => name.endsWith('.ts'));

  it.each(handlers.filter((name) => name !== 'errors.ts'))('lambda/%s is under 50 lines', (name) => {
    const lines = readFileSync(join(ROOT, 'lambda', name), 'utf8')
      .trimEnd()
      .split('\n').length;
    expect({ name, lines: lines < 50 }).toEqual({ name, lines: true });
  });
});
