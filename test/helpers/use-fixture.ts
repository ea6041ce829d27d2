/**
 * Something the tests of one block share, made in `beforeAll` and disposed of in `afterAll`
 * (servers, mostly). Call it at the top of a file or a `describe`; the object it returns stands
 * for the one `setUp` makes, so read it inside tests and hooks (before `setUp` has run, reading
 * it throws, naming the fixture). Jest skips both hooks for a block whose tests are all skipped.
 *
 * @example
 * const s3 = useFixture('useS3Server', startS3Server, (server) => server.close());
 */
export function useFixture<T extends object>(
  name: string,
  setUp: () => Promise<T> | T,
  tearDown: (value: T) => Promise<unknown> | undefined,
): T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await setUp();
  });
  afterAll(async () => {
    if (value) await tearDown(value);
  });
  return new Proxy({} as T, {
    get(_target, key) {
      // Probes (`await`, inspection) see no such field rather than an error.
      if (!value && (typeof key === 'symbol' || key === 'then')) return undefined;
      if (!value) throw new Error(`${name}: it is made in beforeAll; read it inside a test or hook`);
      const field: unknown = Reflect.get(value, key);
      return typeof field === 'function' ? field.bind(value) : field;
    },
  });
}
