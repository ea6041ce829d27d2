import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BatchScoring } from '../../../cdk/constructs/batch-scoring';
import { ModelBucket } from '../../../cdk/constructs/model-bucket';
import { RuntimeLayer } from '../../../cdk/constructs/runtime-layer';
import { MatcherStack } from '../../../cdk/matcher-stack';
import { useCdkScratch } from '../../helpers/cdk-scratch';

const { app, code } = useCdkScratch();

function synth(batch: ConstructorParameters<typeof MatcherStack>[2]['batch'] = {}): Template {
  const stack = new MatcherStack(app(), 'Test', {
    env: { account: '123456789012', region: 'eu-west-1' },
    code: { layer: code(), predict: code(), batch: code() },
    batch,
  });
  return Template.fromStack(stack);
}

/** The state machine's definition with its tokens rendered, for reading. */
function definition(template: Template): string {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const parts = (machine as { Properties: { DefinitionString: { 'Fn::Join': [string, unknown[]] } } })
    .Properties.DefinitionString['Fn::Join'][1];
  return parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join('');
}

/** Every statement of the policies attached to the role whose logical id starts with `rolePrefix`. */
function statements(template: Template, rolePrefix: string): { Action: unknown; Resource: unknown }[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => {
    const p = policy as { Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: [] } } };
    return p.Properties.Roles.some((r) => r.Ref.startsWith(rolePrefix))
      ? p.Properties.PolicyDocument.Statement
      : [];
  });
}

describe('BatchScoring', () => {
  const template = synth();
  const asl = definition(template);

  it('plans, maps over line-range references in S3 with a concurrency cap from a stack parameter, then summarises', () => {
    // Tokens rendered as placeholders (a bare number for the parameter): the definition is plain JSON.
    const parsed = JSON.parse(
      asl.replace('{"Ref":"BatchMaxConcurrency"}', '-1').replace(/\{"(Ref|Fn::GetAtt)":[^{}]*\}/g, 'TOKEN'),
    );

    expect(parsed.States.ScoreItems).toMatchObject({
      Type: 'Map',
      MaxConcurrency: -1,
      ToleratedFailurePercentage: 100,
    });
    expect(asl).toMatch(/"StartAt":"Plan"/);
    expect(asl).toMatch(/"Plan":\{"Next":"ScoreItems"/);
    expect(asl).toContain('"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"}');
    expect(asl).toContain('"MaxConcurrency":{"Ref":"BatchMaxConcurrency"}');
    expect(asl).toMatch(
      /"ItemReader":\{"Resource":"arn:.*:states:::s3:getObject","ReaderConfig":\{"InputType":"JSON"\}/,
    );
    expect(asl).toContain('"Key.$":"$.plan.itemsKey"');
    expect(asl).toContain('"firstLine.$":"$$.Map.Item.Value.firstLine"');
    expect(asl).toContain('"ToleratedFailurePercentage":100');
    expect(asl).toContain('"Prefix":"batch/map-results"');
    expect(asl).toMatch(/"ErrorEquals":\["Lambda.TooManyRequestsException"/);
    expect(asl).toMatch(/"Summarise":\{"End":true/);
    template.templateMatches({
      Parameters: {
        BatchMaxConcurrency: { Type: 'Number', Default: 2, MinValue: 1, MaxValue: 10 },
      },
    });
  });

  it('runs a batch function with its own reserved concurrency, the 15-minute timeout and the prefix', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Scores batches'),
      ReservedConcurrentExecutions: 10,
      Timeout: 900,
      MemorySize: 1769,
      Environment: {
        Variables: Match.objectLike({
          BATCH_PREFIX: 'batch/',
          MODEL_ALIAS: 'live',
          RESULTS_QUEUE_URL: Match.anyValue(),
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Scores which'),
      ReservedConcurrentExecutions: 50,
    });
  });

  it('lets the state machine touch only the bucket prefix and the batch function (and its own map runs)', () => {
    const all = JSON.stringify(statements(template, 'BatchStateMachineRole'));
    const machine = statements(template, 'BatchStateMachineRole');

    for (const s of machine) {
      const resource = JSON.stringify(s.Resource);
      const actions = ([] as unknown[]).concat(s.Action) as string[];
      if (actions.every((a) => a.startsWith('s3:')))
        expect(resource).toMatch(/BatchBucket[0-9A-F]+","Arn"\]\},"\/batch\//);
      else if (actions.every((a) => a === 'lambda:InvokeFunction'))
        expect(resource).toMatch(/^\[\{"Fn::GetAtt":\["BatchFunction[0-9A-F]+","Arn"\]\}/);
      else expect(actions.every((a) => a.startsWith('states:'))).toBe(true);
      expect(resource).not.toMatch(/"\*"|ModelsBucket|Predict/);
    }
    expect(all).toContain('lambda:InvokeFunction');
    expect(all).toContain('"/batch/map-results*"');
  });

  it("gives the batch function the bucket prefix's objects only, besides models and the results queue", () => {
    const fn = statements(template, 'BatchFunctionServiceRole');
    const s3 = fn.filter((s) => JSON.stringify(s.Resource).includes('BatchBucket'));

    expect(s3).toEqual([
      expect.objectContaining({
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: {
          'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^BatchBucket/), 'Arn'] }, '/batch/*']],
        },
      }),
    ]);
  });

  it('alarms on failed items, the metric the summarise step publishes', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'BudgetExpenseMatcher',
      MetricName: 'BatchFailedItems',
      Dimensions: [{ Name: 'service', Value: 'budget-expense-matcher-batch' }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('takes its prefix and caps from the stack props, and has no batch without its code', () => {
    const custom = synth({ prefix: 'jobs/scoring/', reservedConcurrency: 20, defaultMaxConcurrency: 5 });
    const none = Template.fromStack(
      new MatcherStack(app(), 'NoBatch', { code: { layer: code(), predict: code() } }),
    );

    expect(definition(custom)).toContain('"Prefix":"jobs/scoring/map-results"');
    custom.templateMatches({ Parameters: { BatchMaxConcurrency: { Default: 5, MaxValue: 20 } } });
    none.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
  });

  it('refuses a default concurrency above the reserved concurrency, and a prefix without its slash', () => {
    const stack = new Stack(app(), 'Bad');
    const layer = new RuntimeLayer(stack, 'Runtime', { code: code() }).layer;
    const models = new ModelBucket(stack, 'Models', {});

    expect(
      () =>
        new BatchScoring(stack, 'A', {
          code: code(),
          layer,
          models,
          reservedConcurrency: 2,
          defaultMaxConcurrency: 3,
        }),
    ).toThrow(/defaultMaxConcurrency 3 must be a whole number from 1 to reservedConcurrency \(2\)/);
    expect(() => new BatchScoring(stack, 'B', { code: code(), layer, models, prefix: 'batch' })).toThrow(
      /must be one or more folder names/,
    );
  });
});
