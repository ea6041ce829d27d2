import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { CaptureDocument, CaptureRecord } from '../../../lambda/captures';
import { isCaptureList, writeCaptureFiles } from '../../../local/results/capture-files';
import { listSegments, segmentName } from '../../../local/results/journal-files';
import { readLines } from '../../../local/results/journal-reader';
import { JournalSink } from '../../../local/results/journal-sink';
import { JournalWriter } from '../../../local/results/journal-writer';
import { loadRequest } from '../../helpers/events';
import { RecordingLogger } from '../../helpers/recording-logger';
import { resultRows } from '../../helpers/result-rows';
import { useScratch } from '../../helpers/scratch';

const asLogger = (logger: RecordingLogger) => logger as unknown as Logger;

/**
 * Captured requests through the journal as bytes: a received body goes into the journal as it
 * came, and the loader's reading of the journal (`readLines`, `isCaptureList`,
 * `writeCaptureFiles`) gives back the request that was sent. Every test counts the captures.
 */
describe('JournalSink captures', () => {
  const scratch = useScratch();
  const capturedAt = new Date('2026-03-04T05:06:07.089Z');

  async function open(options: { captureBytes?: number; flushMs?: number } = {}) {
    const dir = scratch.dir('journal');
    const writer = await JournalWriter.open({ dir, maxBytes: 1e9 });
    const logger = new RecordingLogger();
    const sink = new JournalSink({
      writer,
      flushMs: options.flushMs ?? 60_000,
      logger: asLogger(logger),
      ...options,
    });
    return { dir, writer, sink, logger };
  }

  /** Every journal line of the folder, parsed, in order. */
  async function entries(dir: string) {
    const all = [];
    for (const n of await listSegments(dir)) all.push(...(await readLines(dir, n, 0)).lines);
    return all.map((line) => line.entry);
  }

  const documentsOf = (entry: { data: unknown } | undefined) => (entry?.data ?? []) as CaptureDocument[];

  /** A received HTTP body as `JournalCaptureSink` hands it over: the bytes, the decoded text let go. */
  const received = (requestId: string, text: string): CaptureRecord => ({
    requestId,
    capturedAt,
    request: undefined,
    body: Buffer.from(text),
  });

  it('writes received bodies as they came (non-ASCII, raw CR/LF, not JSON) beside payloads, before their rows', async () => {
    const { dir, writer, sink } = await open();
    const accented = { ...loadRequest('seed-request'), note: 'Café Zürich — 東京 🍣' };
    const pretty = { ...loadRequest('seed-request'), note: 'a\nb' };
    const prettyText = JSON.stringify(pretty, null, 2).replace(/\n/g, '\r\n');
    const payload = { budgets: [{ budget_id: 7, note: 'ß' }], all_user_expense_lineitems: [] };
    const records = [
      received('r-accented', JSON.stringify(accented)),
      received('r-pretty', prettyText),
      received('r-not-json', 'plain text\r\nü'),
      { requestId: 'r-invoke', capturedAt, request: payload },
      { requestId: 'r-text', capturedAt, request: JSON.stringify(accented) },
    ];
    const prettyBefore = Buffer.from(records[1]?.body as Uint8Array);

    for (const record of records) sink.capture(record);
    sink.record(resultRows(3, 'rows'));
    await sink.flush();
    await writer.close();

    const lines = await entries(dir);
    expect(lines.map((e) => e && [e.kind, e.n])).toEqual([
      ['captures', 0],
      ['results', 3],
    ]);
    const documents = lines[0]?.data;
    expect(isCaptureList(documents)).toBe(true);
    expect((documents as CaptureDocument[]).map((d) => [d.request_id, d.request])).toEqual([
      ['r-accented', accented],
      ['r-pretty', pretty],
      ['r-not-json', 'plain text\r\nü'],
      ['r-invoke', payload],
      ['r-text', accented],
    ]);
    const file = readFileSync(join(dir, segmentName((await listSegments(dir))[0] as number)));
    // The accented body is in the file as its own bytes; the pretty one's line breaks became spaces
    // in a copy, the body received left as it was.
    expect(file.indexOf(records[0]?.body as Uint8Array)).toBeGreaterThan(0);
    expect(file.indexOf(Buffer.from(prettyText.replace(/[\r\n]/g, ' ')))).toBeGreaterThan(0);
    expect(records[1]?.body).toEqual(prettyBefore);
    expect([sink.journaledCaptures, sink.droppedCaptures]).toEqual([5, 0]);
    // Counted from the buffers' lengths: what the writer counts is what the file holds.
    expect(writer.bytes).toBe(file.length);
  });

  it('gives back the request sent in the capture file the loader writes', async () => {
    const { dir, writer, sink } = await open();
    const accented = { ...loadRequest('seed-request'), note: 'naïve – 🍣' };
    const text = `${JSON.stringify(accented, null, '\t').replace(/\n/g, '\r\n')}\n`;

    sink.capture(received('r-1', text));
    await sink.flush();
    await writer.close();
    const captureDir = scratch.dir('captures');
    await writeCaptureFiles(captureDir, (await entries(dir))[0]?.data as CaptureDocument[]);

    expect(JSON.parse(readFileSync(join(captureDir, '2026-03-04', 'r-1.json'), 'utf8'))).toEqual({
      request_id: 'r-1',
      captured_at: capturedAt.toISOString(),
      request: accented,
    });
  });

  it('writes the captures held once they pass their byte bound, before their rows, losing none', async () => {
    const { dir, writer, sink } = await open({ captureBytes: 1000 });
    const text = (i: number) => JSON.stringify({ i, pad: 'é'.repeat(300) });

    for (let i = 0; i < 5; i++) {
      sink.capture(received(`r-${i}`, text(i)));
      sink.record(resultRows(1, `r-${i}`));
    }
    // Two bodies (about 620 bytes each) pass 1000 bytes: written after the 2nd and the 4th, while
    // the rows wait for their window.
    await writer.drain();
    const beforeFlush = (await entries(dir)).map((e) => e?.kind);
    await sink.flush();
    await writer.close();

    const lines = await entries(dir);
    expect(beforeFlush).toEqual(['captures', 'captures']);
    expect(lines.map((e) => [e?.kind, e?.kind === 'captures' ? documentsOf(e).length : e?.n])).toEqual([
      ['captures', 2],
      ['captures', 2],
      ['captures', 1],
      ['results', 5],
    ]);
    expect(
      lines.flatMap((e) => (e?.kind === 'captures' ? documentsOf(e).map((d) => d.request) : [])),
    ).toEqual([0, 1, 2, 3, 4].map((i) => JSON.parse(text(i))));
    expect(sink.journaledCaptures).toBe(5);
  });

  it('loses only the capture whose payload JSON cannot hold, counted and logged', async () => {
    const { dir, writer, sink, logger } = await open();

    sink.capture(received('r-1', '{"a":1}'));
    sink.capture({ requestId: 'r-big', capturedAt, request: { n: 1n } });
    sink.capture({ requestId: 'r-2', capturedAt, request: { b: 2 } });
    await sink.flush();
    await writer.close();

    const documents = (await entries(dir))[0]?.data as CaptureDocument[];
    expect(documents.map((d) => d.request_id)).toEqual(['r-1', 'r-2']);
    expect([sink.journaledCaptures, sink.droppedCaptures]).toEqual([2, 1]);
    expect(logger.find('captured requests could not be written')).toHaveLength(1);
  });
});
