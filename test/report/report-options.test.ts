import { parseReportOptions } from '../../report';

describe('parseReportOptions', () => {
  it('defaults to 14 days, .data/report/report.html and the trend defaults', () => {
    expect(parseReportOptions([])).toEqual({
      days: 14,
      out: '.data/report/report.html',
      bins: 10,
      trend: { span: 7, trailingDays: 14, k: 3, minHistory: 5, minMad: 0.01 },
      errors: false,
      top: 10,
      steps: 100,
      targetPrecision: 0.9,
    });
  });

  it('reads every option', () => {
    const options = parseReportOptions(
      '--days 30 --out x.html --bins 20 --span 3 --trailing 7 --k 2.5 --min-history 4 --min-mad 0 --errors --top 3 --steps 20 --target-precision 0.95'.split(
        ' ',
      ),
    );

    expect(options).toEqual({
      days: 30,
      out: 'x.html',
      bins: 20,
      trend: { span: 3, trailingDays: 7, k: 2.5, minHistory: 4, minMad: 0 },
      errors: true,
      top: 3,
      steps: 20,
      targetPrecision: 0.95,
    });
  });

  it('refuses values it cannot use, naming the option', () => {
    expect(() => parseReportOptions(['--days', '0'])).toThrow(/--days/);
    expect(() => parseReportOptions(['--span', '2.5'])).toThrow(/--span/);
    expect(() => parseReportOptions(['--k', '0'])).toThrow(/--k/);
    expect(() => parseReportOptions(['--nope'])).toThrow();
    expect(() => parseReportOptions(['--target-precision', '1.5'])).toThrow(/--target-precision/);
    expect(() => parseReportOptions(['--top', '0'])).toThrow(/--top/);
    expect(parseReportOptions(['--help'])).toBe('help');
  });
});
