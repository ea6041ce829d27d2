import * as z from 'zod/mini';
import { ModelStoreError } from '../errors';
import type { ModelStore } from './model-store';
import { STORE_LAYOUT } from './store-layout';

/** How many earlier versions a pointer remembers for rollback. */
export const POINTER_HISTORY = 50;

/**
 * The small object that says which version an alias names. `history` holds the versions it named
 * before, newest first: rollback moves the pointer back to `history[0]`.
 */
export const aliasPointerSchema = z.object({
  alias: z.string(),
  version: z.string(),
  updated_at: z.string(),
  history: z.array(z.object({ version: z.string(), until: z.string() })),
});

export type AliasPointer = z.output<typeof aliasPointerSchema>;

/** Reads an alias pointer; `undefined` when the alias was never set. */
export async function readPointer(store: ModelStore, alias: string): Promise<AliasPointer | undefined> {
  const key = STORE_LAYOUT.alias(alias);
  const raw = await store.readSmall(key);
  if (raw === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (cause) {
    throw new ModelStoreError('invalid_pointer', `${store.location}${key} is not JSON`, key, { cause });
  }
  const parsed = aliasPointerSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelStoreError(
      'invalid_pointer',
      `${store.location}${key}: ${issue?.path.join('.')} ${issue?.message}`,
      key,
    );
  }
  return parsed.data;
}

/** Replaces an alias pointer whole (one small PUT: readers see the old one or the new one). */
export async function writePointer(store: ModelStore, pointer: AliasPointer): Promise<void> {
  await store.writeSmall(STORE_LAYOUT.alias(pointer.alias), `${JSON.stringify(pointer, null, 2)}\n`);
}
