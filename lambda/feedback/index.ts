export { acceptFeedback, type FeedbackEntry } from './accept-feedback';
export { type FeedbackItem, feedbackItemSchema, MAX_FEEDBACK_ITEMS } from './feedback-request';
export { parseFeedback, parseItem } from './parse-feedback';
export { type FeedbackDeps, recordFeedback } from './record-feedback';
