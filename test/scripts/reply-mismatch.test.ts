import { findMismatch } from '../../scripts/reply-mismatch';

const http = (statusCode: number, body: unknown) => ({ statusCode, headers: {}, body: JSON.stringify(body) });

describe('findMismatch', () => {
  it('accepts scores that differ within the cross-backend tolerance', () => {
    const want = [{ budget_id: '1', itemization_id: '2', score: 0.12345 }];
    const got = [{ budget_id: '1', itemization_id: '2', score: 0.12348 }];

    expect(findMismatch(got, want, { backend: 'cpu' })).toBeUndefined();
  });

  it('names the field whose score differs beyond the tolerance', () => {
    const want = [{ budget_id: '1', score: 0.1 }];
    const got = [{ budget_id: '1', score: 0.2 }];

    expect(findMismatch(got, want, { backend: 'cpu' })).toBe('.0.score: 0.2, expected 0.1');
  });

  it('compares JSON bodies parsed, so key order does not matter', () => {
    const want = { statusCode: 200, headers: {}, body: '{"a":1,"b":2}' };
    const got = { statusCode: 200, headers: {}, body: '{"b":2,"a":1}' };

    expect(findMismatch(got, want, { backend: 'cpu' })).toBeUndefined();
  });

  it('requires a health reply to name the backend the run asked for', () => {
    const want = http(200, { status: 'ok', backend: 'cpu' });

    expect(
      findMismatch(http(200, { status: 'ok', backend: 'wasm' }), want, { backend: 'wasm' }),
    ).toBeUndefined();
    expect(findMismatch(http(200, { status: 'ok', backend: 'cpu' }), want, { backend: 'wasm' })).toMatch(
      /backend: cpu, expected wasm/,
    );
  });

  it('requires the engine the run asked for, and no backend when the dense pass scores', () => {
    const want = http(200, { status: 'ok', engine: 'dense', backend: null });
    const dense = { backend: null, engine: 'dense' } as const;

    expect(findMismatch(want, want, dense)).toBeUndefined();
    expect(
      findMismatch(http(200, { status: 'ok', engine: 'tfjs', backend: 'cpu' }), want, {
        backend: 'cpu',
        engine: 'tfjs',
      }),
    ).toBeUndefined();
    expect(findMismatch(http(200, { status: 'ok', engine: 'tfjs', backend: null }), want, dense)).toMatch(
      /engine: tfjs, expected dense/,
    );
    expect(findMismatch(http(200, { status: 'ok', engine: 'dense', backend: 'cpu' }), want, dense)).toMatch(
      /backend: cpu, expected null/,
    );
  });

  it('rejects a 5xx or an internal error even when the source handler answered the same', () => {
    const failed = http(500, { error: { code: 'internal_error', message: 'internal error' } });
    const invokeFailed = { error: { code: 'internal_error', message: 'internal error' } };

    expect(findMismatch(failed, failed, { backend: 'cpu' })).toMatch(/^status 500/);
    expect(findMismatch(invokeFailed, invokeFailed, { backend: 'cpu' })).toMatch(/^internal error/);
  });

  it('reports a missing entry', () => {
    expect(findMismatch([{ score: 1 }], [{ score: 1 }, { score: 0 }], { backend: 'cpu' })).toMatch(/^\.1/);
  });
});
