import { payloadFigures } from '../../bench/payload-sizes-figures';

describe('payloadFigures', () => {
  it('gives each request its bytes, plain and gzipped, and the reply against the largest reply sent', () => {
    const input = payloadFigures({
      minCompressionBytes: 1500,
      maxReplyBytes: 1_000_000,
      sizes: [
        {
          request: 'seed',
          pairs: 1,
          requestBytes: 677,
          requestGzipBytes: 323,
          replyBytes: 75,
          replyGzipBytes: null,
        },
        {
          request: '50 × 1,000',
          pairs: 50_000,
          requestBytes: 331_446,
          requestGzipBytes: 13_381,
          replyBytes: 606_000,
          replyGzipBytes: 214_855,
        },
      ],
    });

    expect(input.tables?.[0]?.rows).toEqual([
      ['seed', 1, 677, 323, 75, 'not compressed', '< 0.1 %'],
      ['50 × 1,000', 50_000, 331_446, 13_381, 606_000, 214_855, '60.6 %'],
    ]);
    expect(input.notes?.[0]).toContain('from 1,500 bytes');
  });
});
