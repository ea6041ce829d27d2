/**
 * Replies at or above this many bytes are gzipped when the client accepts gzip: by API Gateway
 * (`minimumCompressionSize` in `cdk/constructs/matcher-api.ts`) and by the local server alike.
 * `npm run bench` measures where compression starts to pay ("gzip by reply size"): from about
 * 20 pairs (1.5 KB of JSON) gzip saves at least one full TCP segment (1,460 bytes) for tens of
 * microseconds of CPU; a smaller reply goes out in the same packet either way.
 */
export const MIN_COMPRESSION_BYTES = 1500;

/**
 * Whether an `Accept-Encoding` header value accepts gzip (`gzip`, `x-gzip` or `*`, with a
 * non-zero quality).
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}
