import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Database } from '../../lambda/db';
import { type LabelRow, writeLabels } from '../../lambda/results';
import { labelFileFormat, parseLabelFile } from './parse-label-file';

/** Labels per upsert statement. */
const CHUNK = 5000;

export interface LabelsCliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Opens the results database (`openResultsDatabase` in the CLI). */
  readonly openDatabase: () => Promise<Database>;
  readonly now?: () => Date;
}

export const LABELS_USAGE = 'usage: npm run labels -- load <file.csv|file.jsonl> [--source <name>]';

/**
 * `npm run labels -- load <file> [--source <name>]`: loads labels from a CSV or JSONL file into
 * the labels table (upserts: the latest label of a pair wins). Bad lines are reported with their
 * line number and field; the good ones are loaded. Returns the exit code: 0 when every line
 * loaded, 1 when some lines were bad, 2 for a usage error or an unreadable file.
 */
export async function runLabelsCli(args: readonly string[], io: LabelsCliIo): Promise<number> {
  const [command, file, ...rest] = args;
  if (command !== 'load' || !file) {
    io.err(LABELS_USAGE);
    return 2;
  }
  let source = `file:${basename(file)}`;
  if (rest.length > 0) {
    if (rest[0] !== '--source' || !rest[1] || rest.length > 2) {
      io.err(LABELS_USAGE);
      return 2;
    }
    source = rest[1];
  }
  const format = labelFileFormat(file);
  if (!format) {
    io.err(`${file}: not a .csv or .jsonl file`);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    io.err(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const lines = parseLabelFile(text, format);
  const bad = lines.filter((l) => !l.ok);
  for (const l of bad)
    if (!l.ok) io.err(`${file}:${l.line}: ${l.error.field}: ${l.error.message} (${l.error.code})`);
  const labelledAt = (io.now?.() ?? new Date()).toISOString();
  const labels: LabelRow[] = lines.flatMap((l) =>
    l.ok
      ? [
          {
            budget_id: l.value.budget_id,
            itemization_id: l.value.itemization_id,
            is_match: l.value.match,
            labelled_at: labelledAt,
            source,
          },
        ]
      : [],
  );
  let written = 0;
  if (labels.length > 0) {
    const db = await io.openDatabase();
    try {
      for (let i = 0; i < labels.length; i += CHUNK)
        written += await writeLabels(db, labels.slice(i, i + CHUNK));
    } finally {
      await db.close();
    }
  }
  io.out(
    `${file}: ${lines.length} labels read, ${labels.length} loaded (${written} new or changed), ${bad.length} bad lines; source "${source}"`,
  );
  return bad.length > 0 ? 1 : 0;
}
