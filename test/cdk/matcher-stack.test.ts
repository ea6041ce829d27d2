import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { MatcherStack, type MatcherStackProps } from '../../cdk/matcher-stack';

function synth(props: MatcherStackProps = {}): Template {
  const asset = mkdtempSync(join(tmpdir(), 'matcher-asset-'));
  writeFileSync(join(asset, 'index.js'), 'exports.handler = async () => [];');
  const app = new App();
  const stack = new MatcherStack(app, 'Test', {
    ...props,
    assets: { function: Code.fromAsset(asset), layer: Code.fromAsset(asset) },
  });
  return Template.fromStack(stack);
}

describe('MatcherStack', () => {
  it('serves POST /budget_expense_matcher and GET /health with IAM authorisation', () => {
    const template = synth();

    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'budget_expense_matcher' });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'AWS_IAM',
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      AuthorizationType: 'AWS_IAM',
    });
  });

  it('runs the predict function on a current Node.js runtime with the runtime layer attached', () => {
    const template = synth();

    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 25,
      ReservedConcurrentExecutions: 50,
      Layers: [Match.objectLike({ Ref: Match.stringLikeRegexp('RuntimeLayer') })],
    });
    template.resourceCountIs('AWS::Lambda::LayerVersion', 1);
  });

  it('takes memory and the concurrency cap from its props', () => {
    const template = synth({ memorySize: 2048, reservedConcurrency: 5 });

    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 2048,
      ReservedConcurrentExecutions: 5,
    });
  });

  it('throttles the stage and keeps logs for a month', () => {
    const template = synth();

    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }),
      ]),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });
});
