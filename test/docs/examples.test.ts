import { allExamples, findExamples, parseCurl, runExample, sameJson } from '../../scripts/docs-examples';
import { useLocalServer } from '../helpers/local-server';

const examples = allExamples().flatMap((doc) => doc.examples);

describe('the request examples in README.md and docs/, against a local server', () => {
  // Recording costs an embedded database's start; only the labels route needs it.
  const recording = examples.some((e) => e.request.path.startsWith('/feedback'));
  const local = useLocalServer({ RESULTS_DB: recording ? 'on' : 'off', TFJS_BACKEND: 'wasm,cpu' });

  it('finds the examples (the README has one)', () => {
    expect(examples.some((e) => e.where.startsWith('README.md'))).toBe(true);
  });

  it.each(examples.map((e) => [e.where, e]))('%s answers what the docs show', async (_where, example) => {
    const reply = await runExample(example, local.running.url);
    // On a failure: `npm run docs:examples -- --write` writes the replies the server gives.
    if (!sameJson(JSON.parse(reply), JSON.parse(example.expected))) expect(reply).toBe(example.expected);
  });
});

describe('the example reader', () => {
  it('reads curl as a shell would: quotes, headers, data from a file or inline', () => {
    const request = parseCurl(
      `curl -s http://127.0.0.1:3000/feedback -H 'content-type: application/json' -d '[{"a":"b c"}]'`,
      'x',
    );
    expect(request).toMatchObject({
      method: 'POST',
      path: '/feedback',
      headers: { 'content-type': 'application/json' },
    });
    expect(request.body?.toString()).toBe('[{"a":"b c"}]');
    expect(parseCurl('curl -s http://127.0.0.1:3000/health', 'x')).toMatchObject({
      method: 'GET',
      path: '/health',
    });
    expect(
      parseCurl('curl http://127.0.0.1:3000/x --data @events/seed-request.json', 'x').body?.length,
    ).toBeGreaterThan(100);
  });

  it('refuses what it cannot check', () => {
    expect(() => parseCurl('curl --compressed http://127.0.0.1:3000/x', 'a.md:3')).toThrow(
      /a.md:3: curl option/,
    );
    expect(() => parseCurl('curl https://example.com/x', 'a.md:3')).toThrow(/must call/);
    expect(() =>
      findExamples('<!-- example -->\n```sh\ncurl http://127.0.0.1:3000/x\n```\n', 'a.md'),
    ).toThrow(/not followed by/);
  });

  it('compares replies as JSON with a tolerance for scores only', () => {
    expect(sameJson([{ score: 0.991491 }], [{ score: 0.99149 }])).toBe(true);
    expect(sameJson([{ score: 0.9915 }], [{ score: 0.99 }])).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson(['x'], ['y'])).toBe(false);
  });
});
