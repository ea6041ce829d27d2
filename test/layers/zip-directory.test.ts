import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipDirectory } from '../../layers';
import { useScratch } from '../helpers/scratch';

const scratch = useScratch();

describe('zipDirectory', () => {
  it('makes the same bytes from the same contents, whenever and in whatever order files were written', async () => {
    const a = scratch.dir('zip-a');
    const b = scratch.dir('zip-b');
    mkdirSync(join(a, 'lib'));
    mkdirSync(join(b, 'lib'));
    writeFileSync(join(a, 'index.js'), 'exports.handler = 1;');
    writeFileSync(join(a, 'lib', 'x.js'), 'x');
    writeFileSync(join(b, 'lib', 'x.js'), 'x');
    writeFileSync(join(b, 'index.js'), 'exports.handler = 1;');
    const out = scratch.dir('zip-out');

    await zipDirectory(a, join(out, 'a.zip'));
    await zipDirectory(b, join(out, 'b.zip'));

    expect(readFileSync(join(out, 'a.zip')).equals(readFileSync(join(out, 'b.zip')))).toBe(true);
  });

  it('stores files world-readable, so Lambda can read code written with a private umask', async () => {
    const dir = scratch.dir('zip-mode');
    writeFileSync(join(dir, 'index.js'), 'x');
    chmodSync(join(dir, 'index.js'), 0o600);
    const zip = join(scratch.dir('zip-out'), 'f.zip');

    const size = await zipDirectory(dir, zip);

    const bytes = readFileSync(zip);
    expect(size).toBe(bytes.length);
    // Central directory entry: "PK\x01\x02"; external attributes (offset 38) carry the Unix mode.
    const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    expect((bytes.readUInt32LE(central + 38) >>> 16) & 0o777).toBe(0o644);
  });
});
