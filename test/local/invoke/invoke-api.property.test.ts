import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import fc from 'fast-check';
import { readConfig } from '../../../lambda/config';
import type { ReplyEntry } from '../../../lambda/contract';
import { createPredictHandler } from '../../../lambda/predict';
import { MemorySink } from '../../../lambda/results';
import { createLocalServer } from '../../../local/create-server';
import { loadRequest, type SampleRequest } from '../../helpers/events';
import { propertyParameters, recordPropertyRuns } from '../../helpers/property-runs';
import { corruptedRequest, corruption, expectReplyAgainstClean } from '../../helpers/request-mutations';

jest.setTimeout(600_000);

const logger = new Logger({ logLevel: 'SILENT' });
const handler = createPredictHandler({ config: readConfig({}), sink: new MemorySink(), logger });
const server = createLocalServer(handler, { invoke: { echoLogs: false } });
const trip = loadRequest('direct-invoke-trip');
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}/2015-03-31/functions/budget-expense-matcher/invocations`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** What the Invoke API answers for `payload`, as the SDK sends it (the JSON bytes of the payload). */
async function invokeOverHttp(payload: unknown) {
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(payload) });
  return {
    status: response.status,
    functionError: response.headers.get('x-amz-function-error'),
    body: await response.json(),
  };
}

describe('the local Invoke API under mutations of a valid request (property)', () => {
  const parameters = propertyParameters(100);

  it('answers 200 with the handler reply: one entry per pair, scores in [0, 1], other pairs unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(corruption(trip), async (c) => {
        // What arrives over the wire is the JSON form of the request (undefined dropped, NaN → null).
        const { mixed, clean } = corruptedRequest(trip, c);
        const sent = JSON.parse(JSON.stringify(mixed)) as SampleRequest;

        const reply = await invokeOverHttp(mixed);
        const viaServer = (await invokeOverHttp(clean)).body as ReplyEntry[];

        expect(reply.status).toBe(200);
        expect(reply.functionError).toBeNull();
        expect(reply.body).toEqual(await handler(sent));
        expectReplyAgainstClean(c, reply.body as ReplyEntry[], viaServer, trip);
      }),
      parameters,
    );
    recordPropertyRuns('local Invoke API, predict handler: one corrupted entry', parameters.numRuns);
  });
});
