import { insertShapeFigures } from '../../bench/insert-shapes-figures';

describe('insertShapeFigures', () => {
  it('puts each shape beside unnest on the same database: best, median, rows/s and the ratio of bests', () => {
    const input = insertShapeFigures({
      command: 'npm run bench:insert',
      rows: 20_000,
      columns: 11,
      chunk: 5000,
      loadAverage: { start: [1, 2, 3], end: [1, 2, 3] },
      timings: [
        { database: 'PostgreSQL 15', shape: 'unnest', statements: 1, ms: [250, 200, 400] },
        { database: 'PostgreSQL 15', shape: 'values', statements: 4, ms: [300, 500, 350, 330] },
        { database: 'PGlite', shape: 'values', statements: 4, ms: [100] },
      ],
    });

    expect(input.tables?.[0]?.rows).toEqual([
      ['PostgreSQL 15', '`unnest`, one array a column', 1, 200, 250, 100_000, 1],
      ['PostgreSQL 15', '`VALUES`, 5,000 rows a statement', 4, 300, 340, 66_667, 1.5],
      ['PGlite', '`VALUES`, 5,000 rows a statement', 4, 100, 100, 200_000, null],
    ]);
    expect(input.notes?.[0]).toContain('at most 5,957 rows (65,535 parameters)');
  });
});
