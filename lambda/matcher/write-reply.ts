import type { ParsedRequest } from '../contract';
import { roundScore } from './round-score';

/**
 * The reply's JSON, written straight from the request's ids and the scores: exactly the text
 * `JSON.stringify(assembleReply(request, scores, threshold))` gives (a property test holds it
 * there) without building an object per pair first. Each id is quoted once, not once per pair.
 * 20,000 pairs: `npm run bench` prints both ("reply").
 */
export function writeReplyJson(request: ParsedRequest, scores: Float32Array, threshold: number): string {
  const itemParts: string[] = [];
  for (const entry of request.items) {
    if (entry.ok) itemParts.push(`"itemization_id":${JSON.stringify(entry.value.itemization_id)},"score":`);
  }
  let json = '';
  let row = 0;
  for (const entry of request.budgets) {
    if (!entry.ok) {
      json += `,${JSON.stringify({ budget_index: entry.index, score: null, error: entry.error })}`;
      continue;
    }
    const prefix = `,{"budget_id":${JSON.stringify(entry.value.budget_id)},`;
    for (const part of itemParts) {
      const score = roundScore(scores[row++] as number);
      json += `${prefix}${part}${Number.isFinite(score) ? score : 'null'}${score >= threshold ? ',"match":true}' : ',"match":false}'}`;
    }
  }
  for (const entry of request.items) {
    if (!entry.ok) {
      json += `,${JSON.stringify({ itemization_index: entry.index, score: null, error: entry.error })}`;
    }
  }
  return json === '' ? '[]' : `[${json.slice(1)}]`;
}
