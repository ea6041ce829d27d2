import { type EntryError, type Parsed, readJsonBody } from '../contract';
import { InvalidRequestError, RequestTooLargeError } from '../errors';
import { type FeedbackItem, feedbackItemSchema, MAX_FEEDBACK_ITEMS } from './feedback-request';

/**
 * Parses a `POST /feedback` body: a JSON list of `{ budget_id, itemization_id, match }`. Like the
 * matcher request, only a body that is not such a list at all fails as a whole; each item is
 * parsed on its own, so a bad one is reported in its own entry and the good ones are kept.
 * @throws InvalidRequestError (400) when not JSON or not a list; RequestTooLargeError (413) over
 *   `maxBodyBytes` or {@link MAX_FEEDBACK_ITEMS} items
 */
export function parseFeedback(body: string, maxBodyBytes: number): Parsed<FeedbackItem>[] {
  const json = readJsonBody(body, maxBodyBytes);
  if (!Array.isArray(json)) {
    throw new InvalidRequestError(
      'invalid_request',
      'feedback must be a JSON list of {"budget_id", "itemization_id", "match": true|false} objects',
      'body',
    );
  }
  if (json.length > MAX_FEEDBACK_ITEMS) {
    throw new RequestTooLargeError(
      'too_many_labels',
      `${json.length} labels in one request; the limit is ${MAX_FEEDBACK_ITEMS}: split them, or load a file with \`npm run labels -- load\``,
      'body',
    );
  }
  return json.map((raw, index) => parseItem(raw, index));
}

/** Parses one label; `field` names the item by its position (`[3].match`). */
export function parseItem(raw: unknown, index: number, prefix = `[${index}]`): Parsed<FeedbackItem> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      index,
      error: { code: 'invalid_entry', message: 'each label must be an object', field: prefix },
    };
  }
  const result = feedbackItemSchema.safeParse(raw);
  if (result.success) return { ok: true, index, value: result.data };
  const issue = result.error.issues[0];
  const key = String(issue?.path[0] ?? '');
  const value = (raw as Record<string, unknown>)[key];
  const missing = value === undefined || value === null;
  const error: EntryError = {
    code: missing
      ? key === 'match'
        ? 'missing_field'
        : 'missing_id'
      : key === 'match'
        ? 'invalid_field'
        : 'invalid_id',
    message: missing ? `${key} is missing` : `${key} ${issue?.message ?? 'is invalid'}`,
    field: `${prefix}.${key}`,
  };
  return { ok: false, index, error };
}
