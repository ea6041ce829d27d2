import type { JsonSchema } from 'aws-cdk-lib/aws-apigateway';
import { z } from 'zod';
import { requestEnvelopeSchema } from '../lambda/contract/request';

/**
 * The JSON schema API Gateway validates a matcher request body against, generated from the
 * contract's zod envelope so the two cannot drift. Only the envelope: an object with both
 * lists as arrays. What the lists hold is never checked here, because one bad budget or item
 * must cost only its own entries (docs/contract.md), which only the handler can do. Extra fields are
 * allowed (the `input` side of the schema has no `additionalProperties: false`). API Gateway
 * speaks JSON Schema draft 4.
 */
export function matcherRequestJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(requestEnvelopeSchema, { target: 'draft-4', io: 'input' }) as Record<string, unknown>;
}

/**
 * A plain JSON schema in CDK's {@link JsonSchema} shape: CDK writes `$schema`, `$ref`, `$id`
 * from `schema`, `ref`, `id`, and takes everything else as it is.
 */
export function toCdkJsonSchema(schema: unknown): JsonSchema {
  if (Array.isArray(schema)) return schema.map(toCdkJsonSchema) as unknown as JsonSchema;
  if (typeof schema !== 'object' || schema === null) return schema as JsonSchema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key.startsWith('$') ? key.slice(1) : key] =
      typeof value === 'object' && value !== null ? toCdkJsonSchema(value) : value;
  }
  return out as JsonSchema;
}
