import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** What the handlers read of Lambda's invocation context (tests pass part of one, or none). */
export type InvocationContext = Partial<Context>;

/** The invocation's request id (Lambda's `awsRequestId`), or a fresh one where there is no context (tests). */
export function requestIdOf(context: InvocationContext | undefined): string {
  return context?.awsRequestId ?? randomUUID();
}
