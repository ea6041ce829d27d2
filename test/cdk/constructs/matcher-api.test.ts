import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { MatcherApi } from '../../../cdk/constructs/matcher-api';
import { MIN_COMPRESSION_BYTES } from '../../../lambda/edge';
import { useCdkScratch } from '../../helpers/cdk-scratch';

const { app } = useCdkScratch();

describe('MatcherApi', () => {
  const stack = new Stack(app(), 'Api');
  const predict = new LambdaFunction(stack, 'Predict', {
    runtime: Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler = async () => [];'),
  });
  new MatcherApi(stack, 'Matcher', { predict });
  const template = Template.fromStack(stack);

  it('gzips replies from MIN_COMPRESSION_BYTES on, the size the local server uses', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      MinimumCompressionSize: MIN_COMPRESSION_BYTES,
    });
    expect(MIN_COMPRESSION_BYTES).toBeGreaterThan(0);
  });
});
