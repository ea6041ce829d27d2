import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Advisory, findAdvisories } from '../../scripts/check-advisories';

const root = join(__dirname, '..', '..');
const { advisories } = JSON.parse(readFileSync(join(root, 'security', 'advisories.json'), 'utf8')) as {
  advisories: Advisory[];
};
const ws: Advisory = { id: 'GHSA-test', package: 'ws', vulnerable: '>=8.0.0 <8.17.1', summary: 'test' };

describe('findAdvisories', () => {
  it('finds a runtime package at an affected version, nested or not, and names where it is', () => {
    const lock = {
      packages: {
        '': { version: '0.1.0' },
        'node_modules/ws': { version: '8.17.0' },
        'node_modules/a/node_modules/ws': { version: '8.2.0' },
        'node_modules/b/node_modules/ws': { version: '8.17.1' },
      },
    };

    const found = findAdvisories(lock, [ws]).map((f) => `${f.path}@${f.version}`);

    expect(found).toEqual(['node_modules/ws@8.17.0', 'node_modules/a/node_modules/ws@8.2.0']);
  });

  it('leaves development packages out unless asked', () => {
    const lock = { packages: { 'node_modules/ws': { version: '8.0.0', dev: true } } };

    expect(findAdvisories(lock, [ws])).toEqual([]);
    expect(findAdvisories(lock, [ws], { includeDev: true })).toHaveLength(1);
  });

  it('finds nothing in the committed lock file', () => {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));

    expect(advisories.length).toBeGreaterThanOrEqual(10);
    expect(findAdvisories(lock, advisories)).toEqual([]);
  });

  it('reads every range in the list as a valid semver range', () => {
    const lock = { packages: { 'node_modules/x': { version: '1.0.0' } } };
    for (const advisory of advisories) {
      expect(() => findAdvisories(lock, [{ ...advisory, package: 'x' }])).not.toThrow();
      expect(advisory.id).toMatch(/^GHSA-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
    }
  });
});
