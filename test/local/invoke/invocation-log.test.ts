import { InvocationLog } from '../../../local/invoke';

const decode = (base64: string) => Buffer.from(base64, 'base64');

describe('InvocationLog', () => {
  it('returns the whole log while it is under 4 KB', () => {
    const log = new InvocationLog();
    log.line('START RequestId: r Version: $LATEST');
    log.write(Buffer.from('{"message":"hello"}\n'));

    expect(decode(log.tailBase64()).toString()).toBe(
      'START RequestId: r Version: $LATEST\n{"message":"hello"}\n',
    );
  });

  it('returns only the last 4096 bytes of a longer log, ending with its last line', () => {
    const log = new InvocationLog();
    for (let i = 0; i < 500; i++) log.line(`line ${i} ${'.'.repeat(20)}`);
    log.line('REPORT RequestId: r');

    const tail = decode(log.tailBase64());

    expect(tail.length).toBe(4096);
    expect(tail.toString().endsWith('line 499 ....................\nREPORT RequestId: r\n')).toBe(true);
  });

  it('cuts at a character boundary so the tail decodes as UTF-8', () => {
    const log = new InvocationLog();
    log.write(Buffer.from('é'.repeat(3000)));

    const tail = decode(log.tailBase64(4095));

    expect(tail.length).toBe(4094);
    expect(tail.toString()).toBe('é'.repeat(2047));
  });

  it('ignores what is written after it is closed', () => {
    const log = new InvocationLog();
    log.line('END RequestId: r');
    log.close();
    log.line('late line of a timed-out handler');

    expect(log.text()).toBe('END RequestId: r\n');
  });

  it('keeps at most its byte budget, dropping the oldest output first', () => {
    const log = new InvocationLog({ maxBytes: 100 });
    for (let i = 0; i < 50; i++) log.line(`line ${i}`);

    expect(Buffer.byteLength(log.text())).toBeLessThanOrEqual(100);
    expect(log.text().endsWith('line 49\n')).toBe(true);
  });

  it('echoes every write, with its stream, as it is made', () => {
    const echoed: string[] = [];
    const log = new InvocationLog({ echo: (chunk, stream) => echoed.push(`${stream}:${chunk.toString()}`) });

    log.line('to stdout');
    log.line('to stderr', 'stderr');

    expect(echoed).toEqual(['stdout:to stdout\n', 'stderr:to stderr\n']);
  });
});
