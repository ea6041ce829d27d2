import fc from 'fast-check';
import { pathAndQuery } from '../../local/to-proxy-event';

/** What `new URL` makes of a request target, as the local server read every one before. */
function viaUrl(target: string): { pathname: string; query: Record<string, string> | null } {
  const url = new URL(target.replace(/^\/{2,}/, '/'), 'http://localhost');
  const query = Object.fromEntries(url.searchParams);
  return { pathname: url.pathname, query: Object.keys(query).length > 0 ? query : null };
}

describe('pathAndQuery', () => {
  it('reads any request target as new URL does, plain paths without it', () => {
    const targets = fc.oneof(
      fc.stringMatching(/^\/[A-Za-z0-9_~/-]{0,30}$/),
      fc.stringMatching(/^\/[A-Za-z0-9_~/.%?&=#+ -]{0,30}$/),
      fc.constantFrom(
        '/',
        '//health',
        '/a/../b',
        '/./x',
        '/x?y=1',
        '/%7e',
        '/a b',
        '/budget_expense_matcher/',
      ),
    );

    fc.assert(
      fc.property(targets, (target) => expect(pathAndQuery(target)).toEqual(viaUrl(target))),
      {
        numRuns: 2000,
      },
    );
  });
});
