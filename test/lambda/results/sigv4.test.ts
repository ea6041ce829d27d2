import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { type SigV4Credentials, signPost } from '../../../lambda/results/sigv4';

/** The same request signed by the SDK's signer, as the SQS client signed it before (its default `applyChecksum`). */
async function sdkSigned(
  headers: Record<string, string>,
  body: string,
  region: string,
  credentials: SigV4Credentials,
  date: Date,
  service = 'sqs',
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service,
    region,
    sha256: Sha256,
    credentials: async () => credentials,
  });
  const host = headers.host as string;
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'https:',
      hostname: host.split(':')[0] as string,
      path: '/',
      query: {},
      headers,
      body,
    },
    { signingDate: date },
  );
  return signed.headers;
}

const sqsHeaders = (host: string, body: string) => ({
  host,
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-target': 'AmazonSQS.SendMessageBatch',
  'x-amzn-query-mode': 'true',
  'content-length': String(Buffer.byteLength(body)),
});

describe('signPost: SigV4 for the SQS client, the same headers as the SDK signer', () => {
  const body = JSON.stringify({
    QueueUrl: 'q',
    Entries: [{ Id: '0', MessageBody: 'ünïcödé "quotes" \\ and\nlines' }],
  });
  const key = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };

  it.each([
    ['keys alone', key, 'us-east-1', 'sqs.us-east-1.amazonaws.com'],
    [
      'a session token (signed)',
      { ...key, sessionToken: 'FwoGZXIvYXdzEJr//////////wEaDM+token=' },
      'eu-west-1',
      'sqs.eu-west-1.amazonaws.com',
    ],
    ['a loopback host with a port', key, 'us-east-1', '127.0.0.1:4566'],
  ])('with %s', async (_name, credentials, region, host) => {
    const date = new Date('2026-12-03T23:59:59.999Z');
    const headers = sqsHeaders(host, body);

    const own = signPost({ headers, body, region, service: 'sqs', credentials, date });

    expect(own).toEqual(await sdkSigned(headers, body, region, credentials, date));
    expect(own.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/20261203\//);
  });

  it('makes the signing key again when the secret, the day, the region or the service changes (never the previous one)', async () => {
    const headers = sqsHeaders('sqs.us-east-1.amazonaws.com', body);
    const day = new Date('2026-12-03T23:59:59Z');
    const nextDay = new Date('2026-12-04T00:00:01Z');
    const calls: [SigV4Credentials, string, Date, string][] = [
      [key, 'us-east-1', day, 'sqs'],
      [key, 'us-east-1', day, 'sqs'],
      [{ ...key, secretAccessKey: 'rotated' }, 'us-east-1', day, 'sqs'],
      [{ ...key, secretAccessKey: 'rotated' }, 'us-east-1', nextDay, 'sqs'],
      [{ ...key, secretAccessKey: 'rotated' }, 'eu-west-1', nextDay, 'sqs'],
      [{ ...key, secretAccessKey: 'rotated' }, 'eu-west-1', nextDay, 'sns'],
      [key, 'us-east-1', day, 'sqs'],
    ];
    for (const [credentials, region, date, service] of calls) {
      expect(signPost({ headers, body, region, service, credentials, date })).toEqual(
        await sdkSigned(headers, body, region, credentials, date, service),
      );
    }
  });

  it('signs a header value with its whitespace folded, as SigV4 says (and the SDK signer does)', async () => {
    const headers = { ...sqsHeaders('sqs.us-east-1.amazonaws.com', body), 'x-amz-target': ' a \t b\r\nc ' };
    const date = new Date('2026-12-03T12:00:00Z');

    expect(signPost({ headers, body, region: 'us-east-1', service: 'sqs', credentials: key, date })).toEqual(
      await sdkSigned(headers, body, 'us-east-1', key, date),
    );
  });

  it('signs now when no date is given', () => {
    const before = Date.now();
    const headers = signPost({
      headers: sqsHeaders('h', ''),
      body: '',
      region: 'us-east-1',
      service: 'sqs',
      credentials: key,
    });
    const at = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(headers['x-amz-date'] as string);
    const signedAt = Date.UTC(
      Number(at?.[1]),
      Number(at?.[2]) - 1,
      Number(at?.[3]),
      Number(at?.[4]),
      Number(at?.[5]),
      Number(at?.[6]),
    );

    expect(signedAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(signedAt).toBeLessThanOrEqual(Date.now());
  });
});
