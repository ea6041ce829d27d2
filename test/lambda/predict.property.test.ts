import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import fc from 'fast-check';
import { readConfig } from '../../lambda/config';
import type { ReplyEntry } from '../../lambda/contract';
import { createPredictHandler } from '../../lambda/predict';
import { MemorySink } from '../../lambda/results';
import { loadEvent, loadRequest, type SampleRequest } from '../helpers/events';
import { propertyParameters, recordPropertyRuns } from '../helpers/property-runs';
import { corruptedRequest, corruption, expectReplyAgainstClean } from '../helpers/request-mutations';

jest.setTimeout(600_000);

const logger = new Logger({ logLevel: 'SILENT' });
const handler = createPredictHandler({ config: readConfig({}), sink: new MemorySink(), logger });
const invoke = async (payload: unknown) => (await handler(payload)) as ReplyEntry[];
const trip = loadRequest('direct-invoke-trip');
const template = loadEvent<APIGatewayProxyEvent>('api-gateway-seed');

describe('predict handler under mutations of a valid request (property)', () => {
  const parameters = propertyParameters(200);

  it('answers one entry per pair, scores in [0, 1] or an error entry, and other pairs unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(corruption(trip), async (c) => {
        const { mixed, clean } = corruptedRequest(trip, c);
        expectReplyAgainstClean(c, await invoke(mixed), await invoke(clean), trip);
      }),
      parameters,
    );
    recordPropertyRuns('predict handler, direct invoke: one corrupted entry', parameters.numRuns);
  });

  it('gives the same reply through API Gateway as through direct invoke', async () => {
    await fc.assert(
      fc.asyncProperty(corruption(trip), async (c) => {
        const { mixed } = corruptedRequest(trip, c);
        const body = JSON.stringify(mixed);
        const api = (await handler({ ...template, body })) as APIGatewayProxyResult;
        expect(api.statusCode).toBe(200);
        expect(JSON.parse(api.body)).toEqual(await invoke(JSON.parse(body) as SampleRequest));
      }),
      parameters,
    );
    recordPropertyRuns('predict handler, API Gateway v1: one corrupted entry', parameters.numRuns);
  });
});
