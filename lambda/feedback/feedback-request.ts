import * as z from 'zod/mini';
import { id } from '../contract/values';

/** One label as a client sends it to `POST /feedback`: ids as in the matcher contract, `match` a boolean. */
export const feedbackItemSchema = z.object({
  budget_id: id,
  itemization_id: id,
  match: z.boolean({ error: 'must be true or false' }),
});

export type FeedbackItem = z.output<typeof feedbackItemSchema>;

/** Most labels one `POST /feedback` may carry; bigger sets go through `npm run labels -- load`. */
export const MAX_FEEDBACK_ITEMS = 10_000;
