import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import fc from 'fast-check';
import { readConfig } from '../../lambda/config';
import { createLabelsHandler } from '../../lambda/labels';
import { MemorySink } from '../../lambda/results';
import { loadEvent } from '../helpers/events';
import { propertyParameters, recordPropertyRuns } from '../helpers/property-runs';

jest.setTimeout(600_000);

const logger = new Logger({ logLevel: 'SILENT' });
const template = loadEvent<APIGatewayProxyEvent>('feedback/api-gateway-feedback');

interface Label {
  budget_id: string | number;
  itemization_id: string | number;
  match: boolean;
}

const id = fc.oneof(fc.stringMatching(/^[0-9A-Za-z-]{1,12}$/), fc.integer({ min: 1, max: 10_000_000 }));
const label: fc.Arbitrary<Label> = fc.record({ budget_id: id, itemization_id: id, match: fc.boolean() });

/** One label of a valid list replaced by a corrupted copy: a field set to anything, removed, or the whole entry. */
const corruptedList = fc.array(label, { minLength: 1, maxLength: 6 }).chain((labels) =>
  fc.record({
    labels: fc.constant(labels),
    index: fc.nat(labels.length - 1),
    corrupt: fc.oneof(
      fc
        .tuple(fc.constantFrom('budget_id', 'itemization_id', 'match'), fc.anything())
        .map(([key, value]) => (l: Label) => ({ ...l, [key]: value })),
      fc.constantFrom('budget_id', 'itemization_id', 'match').map((key) => (l: Label) => {
        const copy: Partial<Label> = { ...l };
        delete copy[key as keyof Label];
        return copy;
      }),
      fc.anything().map((value) => () => value),
    ),
  }),
);

async function post(body: unknown) {
  const sink = new MemorySink();
  const handler = createLabelsHandler({ config: readConfig({}), sink, logger });
  const reply = (await handler({ ...template, body: JSON.stringify(body) })) as APIGatewayProxyResult;
  return { reply, sink };
}

const stored = (sink: MemorySink) =>
  sink.labels.map((l) => ({
    budget_id: l.budget_id,
    itemization_id: l.itemization_id,
    is_match: l.is_match,
  }));

describe('POST /feedback under mutations of a valid label list (property)', () => {
  const parameters = propertyParameters(300);

  it('answers 202 with one entry per item, refuses only the corrupted one and keeps the others', async () => {
    await fc.assert(
      fc.asyncProperty(corruptedList, async ({ labels, index, corrupt }) => {
        const mixedList: unknown[] = [...labels];
        mixedList[index] = corrupt(labels[index] as Label);
        const cleanList = labels.filter((_, i) => i !== index);

        const mixed = await post(mixedList);
        const clean = await post(cleanList);

        expect(mixed.reply.statusCode).toBe(202);
        const entries = JSON.parse(mixed.reply.body) as Record<string, unknown>[];
        expect(entries).toHaveLength(mixedList.length);
        for (const entry of entries) {
          if (entry.accepted === true) {
            expect(entry).toEqual({
              budget_id: expect.any(String),
              itemization_id: expect.any(String),
              accepted: true,
            });
          } else {
            expect(entry).toEqual({
              index: expect.any(Number),
              accepted: false,
              error: expect.objectContaining({
                code: expect.any(String),
                message: expect.any(String),
                field: expect.any(String),
              }),
            });
          }
        }
        // Every other item is answered and stored exactly as without the corrupted one.
        expect(entries.filter((_, i) => i !== index)).toEqual(JSON.parse(clean.reply.body));
        const own = entries[index];
        const storedMixed = stored(mixed.sink);
        if (own?.accepted === true) storedMixed.splice(index, 1);
        else expect(own).toEqual(expect.objectContaining({ index, accepted: false }));
        expect(storedMixed).toEqual(stored(clean.sink));
      }),
      parameters,
    );
    recordPropertyRuns('labels handler, POST /feedback: one corrupted label', parameters.numRuns);
  });
});
