import fc from 'fast-check';
import { SegmentedBuffer } from '../../../lambda/model-store';

describe('SegmentedBuffer', () => {
  it('reads back exactly what was written, whatever the segment and chunk sizes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(40), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }),
        (sizes, chunkSizes) => {
          const buffer = new SegmentedBuffer(sizes.map((n) => new Uint8Array(n)));
          const expected = Uint8Array.from({ length: buffer.byteLength }, (_, i) => (i * 7 + 1) & 0xff);
          let offset = 0;
          for (let c = 0; offset < expected.length; c++) {
            const n = Math.min(chunkSizes[c % chunkSizes.length] as number, expected.length - offset);
            buffer.write(offset, expected.subarray(offset, offset + n));
            offset += n;
          }

          expect(Buffer.concat([...buffer.views(0, buffer.byteLength)]).equals(Buffer.from(expected))).toBe(
            true,
          );
          expect(buffer.toBuffer().equals(Buffer.from(expected))).toBe(true);
        },
      ),
    );
  });

  it('refuses a write outside its length', () => {
    const buffer = new SegmentedBuffer([new Uint8Array(4), new Uint8Array(4)]);

    expect(() => buffer.write(6, new Uint8Array(3))).toThrow(RangeError);
  });
});
