import type { FiguresInput } from '../scripts/figures/figures-file';

/** One request of `npm run bench:payloads` and its reply, in bytes. */
export interface PayloadSize {
  readonly request: string;
  readonly pairs: number;
  readonly requestBytes: number;
  readonly requestGzipBytes: number;
  readonly replyBytes: number;
  /** As the service sends it to a client that accepts gzip; null when it does not compress it. */
  readonly replyGzipBytes: number | null;
}

const share = (bytes: number, limit: number) => {
  const percent = (100 * bytes) / limit;
  return percent < 0.1 ? '< 0.1 %' : `${percent.toFixed(1)} %`;
};

/**
 * `npm run bench:payloads`'s figures (`payload-sizes`): each request's and reply's bytes, plain
 * and gzipped, and the reply's share of the largest the service sends (Lambda's 6 MB). Rendered in docs/contract.md.
 */
export function payloadFigures(input: {
  readonly minCompressionBytes: number;
  /** The largest reply the service sends (`MAX_REPLY_BYTES`: Lambda's 6 MB less the envelope). */
  readonly maxReplyBytes: number;
  readonly sizes: readonly PayloadSize[];
}): FiguresInput {
  return {
    command: 'npm run bench:payloads',
    figures: {
      min_compression_bytes: input.minCompressionBytes,
      max_reply_bytes: input.maxReplyBytes,
      sizes: input.sizes,
    },
    tables: [
      {
        id: 'sizes',
        columns: [
          'request',
          'pairs',
          'request bytes',
          'gzipped',
          'reply bytes',
          'gzipped (as sent)',
          'reply ÷ `MAX_REPLY_BYTES`',
        ],
        rows: input.sizes.map((s) => [
          s.request,
          s.pairs,
          s.requestBytes,
          s.requestGzipBytes,
          s.replyBytes,
          s.replyGzipBytes ?? 'not compressed',
          share(s.replyBytes, input.maxReplyBytes),
        ]),
        align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
      },
    ],
    notes: [
      `Requests from the tests' generator with 7-digit ids, as the seed's; replies from the local server's HTTP route with the default limits. A reply is gzipped from ${input.minCompressionBytes.toLocaleString('en-US')} bytes (\`MIN_COMPRESSION_BYTES\`) for a client that accepts gzip; request bodies are gzipped here at zlib's default level, as a client might send them. Sizes, not timings.`,
    ],
  };
}
