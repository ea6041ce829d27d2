import * as z from 'zod';

/**
 * The format of a figures file: what one command measured, where and when. Commands write it
 * with `writeFigures` (`write-figures.ts`) under `.data/figures/`; a committed copy in
 * `docs/figures/` is what the docs render (`render-figures.ts`).
 */
const cell = z.union([z.string(), z.number(), z.null()]);

export const figuresTableSchema = z.object({
  /** Picks this table out in a doc block: `<!-- figures:<name>#<id> -->`. */
  id: z.optional(z.string().regex(/^[a-z0-9][a-z0-9-]*$/)),
  /** A line above the table. */
  title: z.optional(z.string()),
  columns: z.array(z.string()).min(1),
  /** Cells: strings as written, numbers with thousands separators, null as "—". */
  rows: z.array(z.array(cell)),
  /** Per column; numbers right-align by default. */
  align: z.optional(z.array(z.enum(['left', 'right']))),
});

export const machineSchema = z.object({
  cpu: z.string(),
  cores: z.number().int().positive(),
  memory_gib: z.number().positive(),
  os: z.string(),
});

export const figuresFileSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  /** The command that measured it, e.g. `npm run bench`. */
  command: z.string().min(1),
  /** ISO 8601, when it was measured. */
  date: z.iso.datetime(),
  machine: machineSchema,
  /** `process.version` of the Node that measured it. */
  node: z.string().regex(/^v\d+\.\d+\.\d+/),
  /** The raw figures, any JSON, for machines and for later comparison. */
  figures: z.unknown(),
  /** What the docs show. */
  tables: z.array(figuresTableSchema),
  notes: z.optional(z.array(z.string())),
});

export type FiguresTable = z.infer<typeof figuresTableSchema>;
export type Machine = z.infer<typeof machineSchema>;
export type FiguresFile = z.infer<typeof figuresFileSchema>;
/** What a command gives `writeFigures`; the stamp (date, machine, node) is added. */
export interface FiguresInput {
  command: string;
  figures?: unknown;
  tables?: FiguresTable[];
  notes?: string[];
}

/** Parses a figures file, naming the file and the field when it is not one. */
export function parseFiguresFile(text: string, source: string): FiguresFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not JSON (${(error as Error).message})`);
  }
  const result = figuresFileSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${source}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return result.data;
}
