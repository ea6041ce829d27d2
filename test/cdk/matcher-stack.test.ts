import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { LambdaDeploymentConfig } from 'aws-cdk-lib/aws-codedeploy';
import { MatcherStack, type MatcherStackProps } from '../../cdk/matcher-stack';
import { matcherRequestJsonSchema } from '../../cdk/request-schema';
import { useCdkScratch } from '../helpers/cdk-scratch';

const { app, code } = useCdkScratch();
/** Every function built, as after the writer and monitor handlers are merged. */
const allCode = () => ({ layer: code(), predict: code(), writer: code(), monitor: code(), labels: code() });

function synth(props: Partial<MatcherStackProps> = {}): Template {
  const stack = new MatcherStack(app(), 'Test', {
    env: { account: '123456789012', region: 'eu-west-1' },
    code: allCode(),
    ...props,
  });
  return Template.fromStack(stack);
}

/** The logical id of the one resource of `type` whose properties match `props`. */
function idOf(template: Template, type: string, props: Record<string, unknown>): string {
  const found = Object.keys(template.findResources(type, { Properties: props }));
  expect(found).toHaveLength(1);
  return found[0] as string;
}

const predictProps = { Description: Match.stringLikeRegexp('^Scores which') };

describe('MatcherStack', () => {
  let template: Template;
  beforeAll(() => {
    template = synth();
  });

  describe('the REST API', () => {
    it('serves POST /budget_expense_matcher, POST /feedback and GET /health, IAM-authorised', () => {
      for (const path of ['budget_expense_matcher', 'feedback', 'health'])
        template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: path });
      template.resourcePropertiesCountIs(
        'AWS::ApiGateway::Method',
        { AuthorizationType: 'AWS_IAM', HttpMethod: Match.anyValue() },
        3,
      );
      template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'POST' }, 2);
      template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'GET' }, 1);
      template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    });

    it('validates the matcher body against the schema generated from the contract', () => {
      const validator = idOf(template, 'AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true });
      const model = idOf(template, 'AWS::ApiGateway::Model', { Schema: matcherRequestJsonSchema() });
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'POST',
        RequestValidatorId: { Ref: validator },
        RequestModels: { 'application/json': { Ref: model } },
      });
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: 'BAD_REQUEST_BODY',
        StatusCode: '400',
        ResponseTemplates: { 'application/json': Match.stringLikeRegexp('validationErrorString') },
      });
    });

    it("labels the gateway's own 4xx and 5xx replies in the contract's error shape", () => {
      for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX'])
        template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
          ResponseType: type,
          ResponseTemplates: {
            'application/json':
              '{"error":{"code":"$context.error.responseType","message":$context.error.messageString}}',
          },
        });
    });

    it('sends scoring and health to the predict function and /feedback to the labels function, each through its live alias', () => {
      const predictFn = idOf(template, 'AWS::Lambda::Function', predictProps);
      const labelsFn = idOf(template, 'AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('^Takes labels'),
      });
      const aliasOf = (fn: string) =>
        idOf(template, 'AWS::Lambda::Alias', { Name: 'live', FunctionName: { Ref: fn } });
      const routedTo = (alias: string) => ({
        Integration: Match.objectLike({
          Type: 'AWS_PROXY',
          Uri: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([{ Ref: alias }])] }),
        }),
      });

      template.resourcePropertiesCountIs('AWS::ApiGateway::Method', routedTo(aliasOf(predictFn)), 2);
      template.resourcePropertiesCountIs('AWS::ApiGateway::Method', routedTo(aliasOf(labelsFn)), 1);
    });

    it('lets the labels function send to the results queue and nothing else', () => {
      const labelsFn = Object.values(
        template.findResources('AWS::Lambda::Function', {
          Properties: { Description: Match.stringLikeRegexp('^Takes labels') },
        }),
      )[0];
      const role = labelsFn?.Properties.Role['Fn::GetAtt'][0];
      const statements = Object.values(
        template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } }),
      ).flatMap((p) => p.Properties.PolicyDocument.Statement);

      expect(statements).toEqual([
        {
          Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/ResultsQueue/), 'Arn'] },
        },
      ]);
    });

    it('throttles the stage and writes JSON access logs kept for a month', () => {
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        MethodSettings: Match.arrayWith([
          Match.objectLike({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }),
        ]),
        AccessLogSetting: Match.objectLike({
          DestinationArn: Match.anyValue(),
          Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
        }),
      });
    });

    it('takes API keys and a usage plan with throttle and quota instead of IAM when asked', () => {
      const keyed = synth({ auth: 'apiKey', throttle: { rateLimit: 10, burstLimit: 20 } });

      keyed.resourcePropertiesCountIs('AWS::ApiGateway::Method', { AuthorizationType: 'AWS_IAM' }, 0);
      keyed.resourcePropertiesCountIs(
        'AWS::ApiGateway::Method',
        { ApiKeyRequired: true, AuthorizationType: 'NONE' },
        3,
      );
      keyed.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
      keyed.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        Throttle: { RateLimit: 10, BurstLimit: 20 },
        Quota: { Limit: 100_000, Period: 'DAY' },
      });
      keyed.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
    });
  });

  describe('the predict function', () => {
    it('runs on nodejs24.x with the runtime layer, 1024 MB, a timeout under the API, capped concurrency', () => {
      const layer = idOf(template, 'AWS::Lambda::LayerVersion', {});
      template.hasResourceProperties('AWS::Lambda::Function', {
        ...predictProps,
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        MemorySize: 1024,
        Timeout: 25,
        ReservedConcurrentExecutions: 50,
        Layers: [{ Ref: layer }],
      });
    });

    it('is configured through the agreed environment variables', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        ...predictProps,
        Environment: {
          Variables: {
            MODEL_STORE: {
              'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('ModelsBucket') }, '/models']],
            },
            MODEL_ALIAS: 'live',
            MODEL_REFRESH_SECONDS: '60',
            RESULTS_QUEUE_URL: { Ref: Match.stringLikeRegexp('ResultsQueue') },
            TFJS_BACKEND: 'wasm,cpu',
            MAX_BODY_BYTES: '6291456',
            MAX_PAIRS: '50000',
            POWERTOOLS_SERVICE_NAME: 'budget-expense-matcher',
            POWERTOOLS_METRICS_NAMESPACE: 'BudgetExpenseMatcher',
            CAPTURE_BUCKET: { Ref: Match.stringLikeRegexp('CapturesBucket') },
            CAPTURE_SAMPLE_RATE: '0.1',
          },
        },
      });
    });

    it('takes memory, the concurrency cap and model aliases from its props', () => {
      const custom = synth({
        predict: { memorySize: 2048, reservedConcurrency: 5, shadowAlias: 'candidate' },
      });

      custom.hasResourceProperties('AWS::Lambda::Function', {
        ...predictProps,
        MemorySize: 2048,
        ReservedConcurrentExecutions: 5,
        Environment: { Variables: Match.objectLike({ SHADOW_ALIAS: 'candidate' }) },
      });
    });

    it('refuses a timeout the API would cut short', () => {
      expect(() => synth({ predict: { timeout: Duration.seconds(30) } })).toThrow(/under API Gateway's 29 s/);
    });

    it('runs outside any VPC', () => {
      const [fn] = Object.values(
        template.findResources('AWS::Lambda::Function', { Properties: predictProps }),
      );
      expect(fn?.Properties.VpcConfig).toBeUndefined();
    });

    it('may read only the model prefix and send only to the results queue', () => {
      const role = Object.values(
        template.findResources('AWS::Lambda::Function', { Properties: predictProps }),
      )[0]?.Properties.Role['Fn::GetAtt'][0];
      const policies = template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: role }] },
      });
      const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);

      expect(statements).toEqual([
        {
          Action: 's3:GetObject',
          Effect: 'Allow',
          Resource: {
            'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/ModelsBucket/), 'Arn'] }, '/models/*']],
          },
        },
        {
          Action: 's3:ListBucket',
          Condition: { StringLike: { 's3:prefix': ['models/*', 'models'] } },
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/ModelsBucket/), 'Arn'] },
        },
        {
          Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/ResultsQueue/), 'Arn'] },
        },
        // Captured requests: put only, under captures/ (constructs/capture-bucket.ts).
        expect.objectContaining({
          Action: expect.arrayContaining(['s3:PutObject']),
          Effect: 'Allow',
          Resource: {
            'Fn::Join': [
              '',
              [{ 'Fn::GetAtt': [expect.stringMatching(/CapturesBucket/), 'Arn'] }, '/captures/*'],
            ],
          },
        }),
      ]);
    });

    it('is published as a version behind the live alias, switched at once unless a rollout is asked for', () => {
      const predictFn = idOf(template, 'AWS::Lambda::Function', predictProps);
      const version = idOf(template, 'AWS::Lambda::Version', { FunctionName: { Ref: predictFn } });
      template.hasResourceProperties('AWS::Lambda::Alias', {
        Name: 'live',
        FunctionVersion: { 'Fn::GetAtt': [version, 'Version'] },
      });
      template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
    });

    it('rolls a new version out gradually and rolls back on the 5xx and latency alarms', () => {
      const rolled = synth({ rollout: LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES });

      const fivexx = idOf(rolled, 'AWS::CloudWatch::Alarm', {
        AlarmDescription: Match.stringLikeRegexp('5xx'),
      });
      const p99 = idOf(rolled, 'AWS::CloudWatch::Alarm', { AlarmDescription: Match.stringLikeRegexp('p99') });
      rolled.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
        DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        AutoRollbackConfiguration: { Enabled: true, Events: Match.arrayWith(['DEPLOYMENT_STOP_ON_ALARM']) },
        AlarmConfiguration: { Enabled: true, Alarms: [{ Name: { Ref: fivexx } }, { Name: { Ref: p99 } }] },
      });
      rolled.hasResource('AWS::Lambda::Alias', {
        UpdatePolicy: { CodeDeployLambdaAliasUpdate: Match.anyValue() },
      });
    });
  });

  describe('the model bucket', () => {
    it('is versioned, encrypted, closed to the public, TLS only, and kept on stack deletion', () => {
      template.hasResource('AWS::S3::Bucket', {
        Properties: {
          VersioningConfiguration: { Status: 'Enabled' },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
        },
        DeletionPolicy: 'Retain',
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('can be an existing bucket, with the grant still limited to the prefix', () => {
      const imported = synth({ modelBucketName: 'my-models', modelPrefix: 'matcher/' });

      // The captures bucket only.
      imported.resourceCountIs('AWS::S3::Bucket', 1);
      imported.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: 's3:GetObject',
              Resource: { 'Fn::Join': ['', Match.arrayWith([':s3:::my-models/matcher/*'])] },
            }),
          ]),
        },
      });
      imported.hasResourceProperties('AWS::Lambda::Function', {
        ...predictProps,
        Environment: { Variables: Match.objectLike({ MODEL_STORE: 's3://my-models/matcher' }) },
      });
    });
  });

  describe('results', () => {
    it('go through an encrypted queue with a dead-letter queue after 5 receives', () => {
      const dlq = idOf(template, 'AWS::SQS::Queue', { MessageRetentionPeriod: 1_209_600 });
      template.hasResourceProperties('AWS::SQS::Queue', {
        VisibilityTimeout: 360,
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 5 },
      });
    });

    it('are read by the writer in batches, reporting failures per message', () => {
      const writer = idOf(template, 'AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('^Writes scored results'),
      });
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: writer },
        EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ResultsQueue'), 'Arn'] },
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        // No higher than the writer's reserved concurrency, so no batch is throttled into the DLQ.
        ScalingConfig: { MaximumConcurrency: 2 },
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('^Writes scored results'),
        ReservedConcurrentExecutions: 2,
        Environment: { Variables: Match.objectLike({ DATABASE_POOL_MAX: '2' }) },
      });
    });

    it('let the writer consume the results queue and read the database secret, and nothing else', () => {
      const writer = Object.values(
        template.findResources('AWS::Lambda::Function', {
          Properties: { Description: Match.stringLikeRegexp('^Writes scored results') },
        }),
      )[0];
      const role = writer?.Properties.Role['Fn::GetAtt'][0];
      const statements = Object.values(
        template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } }),
      ).flatMap((p) => p.Properties.PolicyDocument.Statement);

      expect(statements).toEqual([
        {
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Effect: 'Allow',
          Resource: { Ref: expect.stringMatching(/DatabaseClusterSecretAttachment/) },
        },
        {
          Action: [
            'sqs:ReceiveMessage',
            'sqs:ChangeMessageVisibility',
            'sqs:GetQueueUrl',
            'sqs:DeleteMessage',
            'sqs:GetQueueAttributes',
          ],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/ResultsQueue/), 'Arn'] },
        },
      ]);
    });

    it("land in Aurora PostgreSQL Serverless v2, the writer inside the database's VPC with its secret", () => {
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        Engine: 'aurora-postgresql',
        StorageEncrypted: true,
        ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 4 },
        MasterUserPassword: Match.anyValue(),
      });
      template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.serverless' });
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: Match.stringLikeRegexp('secretsmanager'),
        VpcEndpointType: 'Interface',
      });
      template.resourceCountIs('AWS::EC2::NatGateway', 0);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('^Writes scored results'),
        VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
        Environment: {
          Variables: Match.objectLike({
            DATABASE_SECRET_ARN: { Ref: Match.stringLikeRegexp('DatabaseClusterSecretAttachment') },
          }),
        },
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        FromPort: 5432,
        ToPort: 5432,
        IpProtocol: 'tcp',
      });
    });

    it('use an existing database given by its secret instead of creating one', () => {
      const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:matcher-db-AbCdEf';
      const existing = synth({
        existingDatabase: {
          secretArn,
          vpcId: 'vpc-0a1b2c3d4e5f60718',
          availabilityZones: ['eu-west-1a', 'eu-west-1b'],
          subnetIds: ['subnet-0a1b2c3d4e5f60711', 'subnet-0a1b2c3d4e5f60712'],
          securityGroupId: 'sg-0a1b2c3d4e5f60718',
        },
      });

      existing.resourceCountIs('AWS::RDS::DBCluster', 0);
      existing.resourceCountIs('AWS::EC2::VPC', 0);
      existing.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('^Writes scored results'),
        VpcConfig: Match.objectLike({ SubnetIds: ['subnet-0a1b2c3d4e5f60711', 'subnet-0a1b2c3d4e5f60712'] }),
        Environment: { Variables: Match.objectLike({ DATABASE_SECRET_ARN: secretArn }) },
      });
      existing.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: 'sg-0a1b2c3d4e5f60718',
        FromPort: 5432,
      });
      existing.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
              Resource: secretArn,
            }),
          ]),
        },
      });
    });

    it('grant a secret given by a partial ARN with the wildcard for its random suffix', () => {
      const partial = synth({
        code: { layer: code(), predict: code(), writer: code() },
        existingDatabase: {
          secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:matcher-db',
          vpcId: 'vpc-0a1b2c3d4e5f60718',
          availabilityZones: ['eu-west-1a'],
          subnetIds: ['subnet-0a1b2c3d4e5f60711'],
          securityGroupId: 'sg-0a1b2c3d4e5f60718',
        },
      });

      partial.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
              Resource: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:matcher-db-??????',
            }),
          ]),
        },
      });
    });

    it('leave out the writer and the database until a writer is built, keeping the queues', () => {
      const predictOnly = synth({ code: { layer: code(), predict: code() } });

      predictOnly.resourceCountIs('AWS::Lambda::Function', 1);
      predictOnly.resourceCountIs('AWS::SQS::Queue', 2);
      predictOnly.resourceCountIs('AWS::RDS::DBCluster', 0);
      // No labels function built: no /feedback route either.
      predictOnly.resourceCountIs('AWS::ApiGateway::Method', 2);
    });
  });

  describe('captures', () => {
    it('keeps captured requests in an encrypted, private, TLS-only bucket that expires them', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LifecycleConfiguration: {
          Rules: [{ Id: 'ExpireCaptures', Prefix: 'captures/', ExpirationInDays: 30, Status: 'Enabled' }],
        },
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: Match.stringLikeRegexp('CapturesBucket') },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('lets the predict function put captures and nothing more, at the sampling rate and expiry it is given', () => {
      const custom = synth({ captures: { sampleRate: 0.25, expiration: Duration.days(7) } });

      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: Match.arrayWith(['s3:PutObject']),
              Resource: {
                'Fn::Join': [
                  '',
                  [{ 'Fn::GetAtt': [Match.stringLikeRegexp('CapturesBucket'), 'Arn'] }, '/captures/*'],
                ],
              },
            }),
          ]),
        },
      });
      custom.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ CAPTURE_SAMPLE_RATE: '0.25' }) },
      });
      custom.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 7 })] },
      });
      expect(() => synth({ captures: { sampleRate: 2 } })).toThrow(/sampleRate 2 is not from 0 to 1/);
    });
  });

  describe('monitoring', () => {
    it('runs the monitor daily in the database VPC', () => {
      const monitor = idOf(template, 'AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('^Computes daily precision'),
        VpcConfig: Match.anyValue(),
      });
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'cron(0 6 * * ? *)',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [monitor, 'Arn'] } })],
      });
    });

    it('alarms on the 5xx rate, p99 latency, dead letters, precision or recall below the floor, and a falling trend or shift', () => {
      template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0.01,
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'IF(requests > 0, errors / requests, 0)' }),
        ]),
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Latency',
        ExtendedStatistic: 'p99',
        Threshold: 5000,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetters'), 'QueueName'] },
          },
        ],
      });
      for (const metric of ['Precision', 'Recall'])
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'BudgetExpenseMatcher',
          MetricName: metric,
          Dimensions: [{ Name: 'service', Value: 'budget-expense-matcher-monitor' }],
          Statistic: 'Minimum',
          Period: 86_400,
          ComparisonOperator: 'LessThanThreshold',
          Threshold: 0.8,
          TreatMissingData: 'notBreaching',
        });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'BudgetExpenseMatcher',
        MetricName: 'QualityShifts',
        Dimensions: [{ Name: 'service', Value: 'budget-expense-matcher-monitor' }],
        Statistic: 'Maximum',
        Period: 86_400,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        TreatMissingData: 'notBreaching',
      });
    });

    it('emails alarms when given an address', () => {
      const emailed = synth({ alarms: { email: 'ops@example.com', precisionFloor: 0.9 } });

      emailed.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'ops@example.com',
      });
      emailed.resourcePropertiesCountIs(
        'AWS::CloudWatch::Alarm',
        { AlarmActions: [{ Ref: Match.anyValue() }] },
        6,
      );
      emailed.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Precision', Threshold: 0.9 });
    });

    it('has a dashboard of requests, errors, latency, pairs, item errors, queue age, dead letters, precision, recall', () => {
      const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
      // The body is a Fn::Join of JSON text and references; references become a placeholder.
      const parts = dashboard?.Properties.DashboardBody['Fn::Join'][1] as unknown[];
      const body = JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'REF')).join('')) as {
        widgets: { properties: { metrics?: unknown[][]; query?: string } }[];
      };
      const metricNames = body.widgets.flatMap((w) =>
        (w.properties.metrics ?? []).map((m) =>
          typeof m[0] === 'string'
            ? `${m[0]}/${m[1]}:${JSON.stringify(m[m.length - 1])}`
            : JSON.stringify(m[0]),
        ),
      );
      const has = (needle: string) => expect(metricNames.filter((m) => m.includes(needle))).not.toEqual([]);

      has('AWS/ApiGateway/Count');
      has('AWS/ApiGateway/4XXError');
      has('AWS/ApiGateway/5XXError');
      has('AWS/ApiGateway/Latency:{"stat":"p50"}');
      has('AWS/ApiGateway/Latency:{"stat":"p99"}');
      has('BudgetExpenseMatcher/PairsScored');
      has('BudgetExpenseMatcher/ItemErrors');
      has('BudgetExpenseMatcher/ResultRowsDropped');
      has('AWS/SQS/ApproximateAgeOfOldestMessage');
      has('AWS/SQS/ApproximateNumberOfMessagesVisible');
      has(
        'SELECT AVG(Precision) FROM SCHEMA(\\"BudgetExpenseMatcher\\", ModelVersion, service) GROUP BY ModelVersion',
      );
      has('SELECT AVG(Recall) FROM SCHEMA(');
      expect(body.widgets.map((w) => w.properties.query).join('')).toContain('stats count(*) by code');
    });
  });

  it('keeps every log group for a month', () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));

    // predict, labels, writer, monitor and the API's access logs.
    expect(groups.length).toBe(5);
    for (const g of groups) expect(g.Properties.RetentionInDays).toBe(30);
  });
});
