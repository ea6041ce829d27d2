import { labelFileFormat, parseLabelFile } from '../../../scripts/results-cli/parse-label-file';

describe('parseLabelFile', () => {
  it('reads CSV with the columns in any order, quoted cells and true/false/1/0', () => {
    const csv =
      'match,itemization_id,budget_id,note\r\ntrue,4659497,309366,x\n0,"46,59",309366,"say ""hi"""\n\nFALSE, 7 ,8,\n';

    expect(parseLabelFile(csv, 'csv')).toEqual([
      { ok: true, line: 2, value: { budget_id: '309366', itemization_id: '4659497', match: true } },
      { ok: true, line: 3, value: { budget_id: '309366', itemization_id: '46,59', match: false } },
      { ok: true, line: 5, value: { budget_id: '8', itemization_id: '7', match: false } },
    ]);
  });

  it('reports each bad CSV line with its number and field, keeping the others', () => {
    const csv = 'budget_id,itemization_id,match\n1,2,yes\n,2,true\n3,4,true\n';

    expect(parseLabelFile(csv, 'csv')).toEqual([
      { ok: false, line: 2, error: expect.objectContaining({ code: 'invalid_field', field: 'match' }) },
      { ok: false, line: 3, error: expect.objectContaining({ code: 'missing_id', field: 'budget_id' }) },
      { ok: true, line: 4, value: { budget_id: '3', itemization_id: '4', match: true } },
    ]);
  });

  it('refuses a CSV header without the three columns', () => {
    expect(parseLabelFile('budget,item,match\n1,2,true\n', 'csv')).toEqual([
      { ok: false, line: 1, error: expect.objectContaining({ code: 'invalid_header', field: 'budget_id' }) },
    ]);
  });

  it('reads JSONL, ids as strings or numbers, and reports lines that are not JSON or not labels', () => {
    const jsonl = [
      '{"budget_id": 309366, "itemization_id": "4659497", "match": true}',
      '',
      '{"budget_id": "1", "itemization_id": "2", "match": "true"}',
      '{oops',
      '[1]',
    ].join('\n');

    expect(parseLabelFile(jsonl, 'jsonl')).toEqual([
      { ok: true, line: 1, value: { budget_id: '309366', itemization_id: '4659497', match: true } },
      { ok: false, line: 3, error: expect.objectContaining({ code: 'invalid_field', field: 'match' }) },
      { ok: false, line: 4, error: expect.objectContaining({ code: 'invalid_json' }) },
      { ok: false, line: 5, error: expect.objectContaining({ code: 'invalid_entry' }) },
    ]);
  });

  it('knows the formats by file name', () => {
    expect(['a.csv', 'b.JSONL', 'c.ndjson', 'd.json'].map(labelFileFormat)).toEqual([
      'csv',
      'jsonl',
      'jsonl',
      undefined,
    ]);
  });
});
