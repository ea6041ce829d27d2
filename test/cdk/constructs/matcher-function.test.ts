import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LayerVersion } from 'aws-cdk-lib/aws-lambda';
import { MatcherFunction } from '../../../cdk/constructs/matcher-function';
import { MatcherStack } from '../../../cdk/matcher-stack';
import { useCdkScratch } from '../../helpers/cdk-scratch';

const { app, code } = useCdkScratch();

type Resource = { Properties: Record<string, unknown> };

describe('MatcherFunction', () => {
  it('gives every function of the stack a reserved concurrency', () => {
    const stack = new MatcherStack(app(), 'Test', {
      env: { account: '123456789012', region: 'eu-west-1' },
      code: { layer: code(), predict: code(), writer: code(), monitor: code() },
    });
    const functions = Object.entries(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as [
      string,
      Resource,
    ][];

    expect(functions.length).toBeGreaterThanOrEqual(3);
    for (const [id, fn] of functions) {
      expect({ id, reserved: fn.Properties.ReservedConcurrentExecutions }).toEqual({
        id,
        reserved: expect.any(Number),
      });
    }
  });

  it("caps the writer's event source at no more than the writer's reserved concurrency", () => {
    const stack = new MatcherStack(app(), 'Test', {
      env: { account: '123456789012', region: 'eu-west-1' },
      code: { layer: code(), predict: code(), writer: code() },
    });
    const template = Template.fromStack(stack);
    const mapping = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))[0] as Resource;
    const writerId = (mapping.Properties.FunctionName as { Ref: string }).Ref;
    const writer = template.findResources('AWS::Lambda::Function')[writerId] as Resource;
    const maxConcurrency = (mapping.Properties.ScalingConfig as { MaximumConcurrency: number })
      .MaximumConcurrency;

    expect(maxConcurrency).toBeGreaterThanOrEqual(2);
    expect(writer.Properties.ReservedConcurrentExecutions).toBeGreaterThanOrEqual(maxConcurrency);
  });

  it('refuses a function without a usable concurrency cap, naming the setting', () => {
    const stack = new Stack(app(), 'S');
    const layer = new LayerVersion(stack, 'Layer', { code: code() });

    expect(
      () =>
        new MatcherFunction(stack, 'Fn', { code: code(), description: 'x', layer, reservedConcurrency: 0 }),
    ).toThrow(/Fn: reservedConcurrency must be a whole number of at least 1 \(got 0\)/);
  });
});
