import type { EntryError } from '../../lambda/contract';
import { type FeedbackItem, parseItem } from '../../lambda/feedback';

/** One line of a label file: a label, or why it is not one. */
export type LabelLine =
  | { readonly ok: true; readonly line: number; readonly value: FeedbackItem }
  | { readonly ok: false; readonly line: number; readonly error: EntryError };

/** The label file formats: CSV with a header, or JSON Lines. */
export type LabelFileFormat = 'csv' | 'jsonl';

/** The format a file name says: `.csv`, or `.jsonl` / `.ndjson`; undefined otherwise. */
export function labelFileFormat(path: string): LabelFileFormat | undefined {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(path)) return 'jsonl';
  return undefined;
}

/**
 * Parses a label file, each line on its own like the items of `POST /feedback`: a bad line is
 * reported with its line number and field and the others are kept. CSV needs a header naming
 * `budget_id`, `itemization_id` and `match` (any order, other columns ignored; `match` is
 * `true`/`false`, `1`/`0`); JSONL holds one `{ "budget_id", "itemization_id", "match" }` a line.
 * Blank lines are skipped.
 */
export function parseLabelFile(text: string, format: LabelFileFormat): LabelLine[] {
  const lines = text.split(/\r?\n/);
  return format === 'csv' ? parseCsv(lines) : parseJsonl(lines);
}

function parseJsonl(lines: string[]): LabelLine[] {
  const out: LabelLine[] = [];
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    const line = i + 1;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      out.push({
        ok: false,
        line,
        error: { code: 'invalid_json', message: 'not valid JSON', field: 'line' },
      });
      return;
    }
    out.push(fromParsed(parseItem(raw, i, ''), line));
  });
  return out;
}

const COLUMNS = ['budget_id', 'itemization_id', 'match'] as const;

function parseCsv(lines: string[]): LabelLine[] {
  const headerAt = lines.findIndex((l) => l.trim() !== '');
  if (headerAt < 0) return [];
  const header = splitCsvLine(lines[headerAt] ?? '').map((h) => h.trim().toLowerCase());
  const missing = COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    return [
      {
        ok: false,
        line: headerAt + 1,
        error: {
          code: 'invalid_header',
          message: `the header must name ${COLUMNS.join(', ')}; missing ${missing.join(', ')}`,
          field: missing[0] ?? 'header',
        },
      },
    ];
  }
  const at = Object.fromEntries(COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<
    (typeof COLUMNS)[number],
    number
  >;
  const out: LabelLine[] = [];
  for (let i = headerAt + 1; i < lines.length; i += 1) {
    const text = lines[i] ?? '';
    if (text.trim() === '') continue;
    const cells = splitCsvLine(text);
    const cell = (c: (typeof COLUMNS)[number]) => {
      const value = cells[at[c]];
      return value === undefined || value.trim() === '' ? undefined : value;
    };
    const match = cell('match');
    out.push(
      fromParsed(
        parseItem(
          { budget_id: cell('budget_id'), itemization_id: cell('itemization_id'), match: csvBoolean(match) },
          i,
          '',
        ),
        i + 1,
      ),
    );
  }
  return out;
}

/** `true`/`false`/`1`/`0` (any case, trimmed) → boolean; anything else is left for the schema to refuse. */
function csvBoolean(value: string | undefined): unknown {
  const v = value?.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return value;
}

/** Splits one CSV line (RFC 4180 quoting: `"a,b"`, `"say ""hi"""`). */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

function fromParsed(parsed: ReturnType<typeof parseItem>, line: number): LabelLine {
  if (parsed.ok) return { ok: true, line, value: parsed.value };
  // parseItem names fields `.budget_id`; a file's report says `budget_id`.
  return { ok: false, line, error: { ...parsed.error, field: parsed.error.field.replace(/^\./, '') } };
}
