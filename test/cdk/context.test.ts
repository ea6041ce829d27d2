import { readMatcherContext } from '../../cdk/context';

const from = (values: Record<string, unknown>) => (key: string) => values[key];

describe('readMatcherContext', () => {
  it('leaves everything unset to the constructs when no context is given', () => {
    const context = readMatcherContext(from({}));

    expect(context.stackName).toBe('BudgetExpenseMatcher');
    expect(context.predict.memorySize).toBeUndefined();
    expect(context.auth).toBeUndefined();
    expect(context.existingDatabase).toBeUndefined();
    expect(context.throttle).toBeUndefined();
  });

  it('reads cdk.json values and `-c key=value` strings alike', () => {
    const context = readMatcherContext(
      from({
        'matcher:memorySize': '2048',
        'matcher:reservedConcurrency': 10,
        'matcher:auth': 'apiKey',
        'matcher:rateLimit': '20',
        'matcher:rollout': 'CANARY_10PERCENT_5MINUTES',
        'matcher:precisionFloor': '0.9',
        'matcher:logRetentionDays': '90',
        'matcher:apiCloudWatchRole': 'false',
      }),
    );

    expect(context.predict.memorySize).toBe(2048);
    expect(context.predict.reservedConcurrency).toBe(10);
    expect(context.auth).toBe('apiKey');
    expect(context.throttle).toEqual({ rateLimit: 20, burstLimit: 200 });
    expect(context.rollout).toBe('CANARY_10PERCENT_5MINUTES');
    expect(context.alarms.precisionFloor).toBe(0.9);
    expect(context.logRetentionDays).toBe(90);
    expect(context.apiCloudWatchRole).toBe(false);
  });

  it.each([
    ['matcher:memorySize', 'lots'],
    ['matcher:auth', 'open'],
    ['matcher:rollout', 'SOMETIMES'],
    ['matcher:precisionFloor', '1.5'],
    ['matcher:logRetentionDays', '45'],
    ['matcher:alarmEmail', 'not-an-address'],
    ['matcher:databaseVpcId', 'my-vpc'],
    ['matcher:databaseSubnetIds', 'subnet-0a1b2c3d,sg-0a1b2c3d'],
  ])('names %s when its value %j is unusable', (key, value) => {
    expect(() => readMatcherContext(from({ [key]: value }))).toThrow(new RegExp(`^context ${key}: `));
  });

  it('reads an existing database, lists given as comma-separated strings', () => {
    const context = readMatcherContext(
      from({
        'matcher:databaseSecretArn': 'arn:aws:secretsmanager:eu-west-1:1:secret:db',
        'matcher:databaseVpcId': 'vpc-0a1b2c3d',
        'matcher:databaseSubnetIds': 'subnet-0a1b2c3d, subnet-0a1b2c3e',
        'matcher:databaseAvailabilityZones': ['eu-west-1a', 'eu-west-1b'],
        'matcher:databaseSecurityGroupId': 'sg-0a1b2c3d',
      }),
    );

    expect(context.existingDatabase).toEqual({
      secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:db',
      vpcId: 'vpc-0a1b2c3d',
      subnetIds: ['subnet-0a1b2c3d', 'subnet-0a1b2c3e'],
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      securityGroupId: 'sg-0a1b2c3d',
      port: undefined,
    });
  });

  it('names what is missing when an existing database is given only in part', () => {
    expect(() =>
      readMatcherContext(
        from({ 'matcher:databaseSecretArn': 'arn:x', 'matcher:databaseVpcId': 'vpc-0a1b2c3d' }),
      ),
    ).toThrow(
      /matcher:databaseSubnetIds, matcher:databaseAvailabilityZones, matcher:databaseSecurityGroupId/,
    );
  });
});
