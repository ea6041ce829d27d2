import { captureJson, captureKey, toCaptureDocument } from '../../../lambda/captures';
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
