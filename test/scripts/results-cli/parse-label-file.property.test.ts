import fc from 'fast-check';
import { type LabelFileFormat, parseLabelFile } from '../../../scripts/results-cli/parse-label-file';
import { propertyParameters, recordPropertyRuns } from '../../helpers/property-runs';

interface Label {
  budget_id: string;
  itemization_id: string;
  match: boolean;
}

const id = fc.stringMatching(/^[0-9A-Za-z]([0-9A-Za-z ,"-]{0,10}[0-9A-Za-z])?$/);
const label: fc.Arbitrary<Label> = fc.record({ budget_id: id, itemization_id: id, match: fc.boolean() });
const quote = (cell: string) => `"${cell.replace(/"/g, '""')}"`;

function render(labels: Label[], format: LabelFileFormat): string[] {
  if (format === 'jsonl') return labels.map((l) => JSON.stringify(l));
  return [
    'budget_id,itemization_id,match',
    ...labels.map((l) => [quote(l.budget_id), quote(l.itemization_id), String(l.match)].join(',')),
  ];
}

/** A line as a corrupted file may hold it: anything on one line that is not blank. */
const badLine = fc
  .oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.anything().map((v) => JSON.stringify(v) ?? 'undefined'),
  )
  .map((s) => s.replace(/[\r\n]/g, ' '))
  .filter((s) => s.trim() !== '');

describe('parseLabelFile under one corrupted line (property)', () => {
  const parameters = propertyParameters(500);

  it.each<LabelFileFormat>(['csv', 'jsonl'])(
    '%s: one result per line, the good lines kept, only the corrupted line changes',
    (format) => {
      fc.assert(
        fc.property(
          fc
            .array(label, { minLength: 1, maxLength: 8 })
            .chain((labels) =>
              fc.record({ labels: fc.constant(labels), at: fc.nat(labels.length - 1), line: badLine }),
            ),
          fc.constantFrom('\n', '\r\n'),
          ({ labels, at, line }, eol) => {
            const lines = render(labels, format);
            const first = format === 'csv' ? 1 : 0; // the header stays
            const mixedLines = [...lines];
            mixedLines[first + at] = line;
            const cleanLines = [...lines];
            cleanLines[first + at] = ''; // without the entry, at the same line numbers

            const mixed = parseLabelFile(mixedLines.join(eol), format);
            const clean = parseLabelFile(cleanLines.join(eol), format);
            const whole = parseLabelFile(lines.join(eol), format);

            expect(whole).toEqual(labels.map((value, i) => ({ ok: true, line: first + i + 1, value })));
            expect(mixed).toHaveLength(labels.length);
            const own = mixed.find((l) => l.line === first + at + 1);
            expect(own).toBeDefined();
            if (own?.ok === false) {
              expect(own.error).toEqual(
                expect.objectContaining({
                  code: expect.any(String),
                  message: expect.any(String),
                  field: expect.any(String),
                }),
              );
            }
            expect(mixed.filter((l) => l !== own)).toEqual(clean);
          },
        ),
        parameters,
      );
      recordPropertyRuns(`label file parser, ${format}: one corrupted line`, parameters.numRuns);
    },
  );
});
