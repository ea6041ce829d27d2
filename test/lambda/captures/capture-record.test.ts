import fc from 'fast-check';
import { captureJson, captureKey, captureParts, toCaptureDocument } from '../../../lambda/captures';
import { loadRequest } from '../../helpers/events';

describe('captureJson', () => {
  const capturedAt = new Date('2026-03-04T05:06:07.089Z');

  it('puts an HTTP body in as it came, on one line, parsing to the request sent', () => {
    const request = loadRequest('seed-request');
    const pretty = JSON.stringify(request, null, 2).replace(/\n/g, '\r\n');

    const json = captureJson({ requestId: 'r-1', capturedAt, request: pretty });

    expect(json).not.toMatch(/[\r\n]/);
    expect(JSON.parse(json)).toEqual({ request_id: 'r-1', captured_at: '2026-03-04T05:06:07.089Z', request });
  });

  it('serialises an invoke payload, and keeps text that is not a JSON object as a string', () => {
    const payload = { budgets: [{ budget_id: 1 }], all_user_expense_lineitems: [] };

    expect(toCaptureDocument({ requestId: 'r-2', capturedAt, request: payload }).request).toEqual(payload);
    expect(toCaptureDocument({ requestId: 'r-3', capturedAt, request: 'not json\n' }).request).toBe(
      'not json\n',
    );
    expect(toCaptureDocument({ requestId: 'r-4', capturedAt, request: undefined }).request).toBeNull();
  });

  it('files a capture under its UTC day and a path-safe request id', () => {
    expect(captureKey({ requestId: 'a/b c', capturedAt })).toBe('2026-03-04/a_b_c.json');
  });
});

describe('captureParts', () => {
  const capturedAt = new Date('2026-03-04T05:06:07.089Z');
  const document = (parts: Buffer[]) => Buffer.concat(parts).toString('utf8');

  it('writes a received non-ASCII body as its own bytes, byte for byte what captureJson encodes', () => {
    const request = { ...loadRequest('seed-request'), note: 'Café Zürich — 東京 🍣' };
    const text = JSON.stringify(request);
    const body = Buffer.from(text);

    const parts = captureParts({ requestId: 'r-1', capturedAt, request: text, body });

    expect(parts[1]).toBe(body);
    expect(
      Buffer.concat(parts).equals(Buffer.from(captureJson({ requestId: 'r-1', capturedAt, request: text }))),
    ).toBe(true);
    expect(JSON.parse(document(parts))).toEqual({
      request_id: 'r-1',
      captured_at: capturedAt.toISOString(),
      request,
    });
  });

  it('turns raw CR and LF of a received body into spaces in a copy, leaving the body as it was', () => {
    const request = { ...loadRequest('seed-request'), note: 'ligne 1\nligne 2 — ü' };
    const text = `\r\n${JSON.stringify(request, null, 2).replace(/\n/g, '\r\n')}\r\n`;
    const body = Buffer.from(text);
    const before = Buffer.from(body);

    const json = document(captureParts({ requestId: 'r-2', capturedAt, request: text, body }));

    expect(json).not.toMatch(/[\r\n]/);
    expect(JSON.parse(json).request).toEqual(request);
    expect(body.equals(before)).toBe(true);
    expect(captureJson({ requestId: 'r-2', capturedAt, request: undefined, body })).toBe(json);
  });

  it('keeps a received body that is not a JSON object as a JSON string, and serialises an invoke payload', () => {
    const notJson = 'not json {\r\n}';
    const bom = '\uFEFF{"budgets":[]}';
    const payload = { budgets: [{ budget_id: 1, note: 'ß' }], all_user_expense_lineitems: [] };

    const asText = (request: string) =>
      JSON.parse(document(captureParts({ requestId: 'r', capturedAt, request, body: Buffer.from(request) })))
        .request;

    expect(asText(notJson)).toBe(notJson);
    expect(asText(bom)).toBe(bom);
    expect(
      JSON.parse(document(captureParts({ requestId: 'r', capturedAt, request: payload }))).request,
    ).toEqual(payload);
  });

  it('gives the document captureJson gives, for any JSON object body sent as bytes', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ stringUnit: 'grapheme' }),
        fc.boolean(),
        fc.string({ unit: 'grapheme' }),
        (value, pretty, id) => {
          const text = JSON.stringify({ value }, null, pretty ? '\r\n' : undefined);
          const record = { requestId: id, capturedAt, request: text };

          const bytes = Buffer.concat(captureParts({ ...record, body: Buffer.from(text) }));

          expect(bytes.equals(Buffer.from(captureJson(record)))).toBe(true);
          expect(JSON.parse(bytes.toString('utf8')).request).toEqual(JSON.parse(text));
        },
      ),
    );
  });
});
