import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ResultsDatabase } from '../../../cdk/constructs/results-database';
import { MatcherStack, type MatcherStackProps } from '../../../cdk/matcher-stack';
import { useCdkScratch } from '../../helpers/cdk-scratch';

const { app, code } = useCdkScratch();

function synth(props: Partial<MatcherStackProps> = {}): Template {
  const stack = new MatcherStack(app(), 'Test', {
    env: { account: '123456789012', region: 'eu-west-1' },
    code: { layer: code(), predict: code(), writer: code(), monitor: code() },
    ...props,
  });
  return Template.fromStack(stack);
}

type Resource = { Properties: Record<string, unknown> };
type EgressRule = { CidrIp?: string; IpProtocol?: string; FromPort?: number; ToPort?: number };

describe('ResultsDatabase: defaults for a service that keeps data', () => {
  let template: Template;
  beforeAll(() => {
    template = synth();
  });

  it('protects the cluster from deletion and keeps a week of backups', () => {
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      DeletionProtection: true,
      BackupRetentionPeriod: 7,
      StorageEncrypted: true,
    });
    template.hasResource('AWS::RDS::DBCluster', {
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
    });
  });

  it('rotates the database password every 30 days through the VPC endpoint', () => {
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: Match.stringLikeRegexp('DatabaseClusterSecretAttachment') },
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
    template.hasResourceProperties('AWS::Serverless::Application', {
      Parameters: Match.objectLike({
        endpoint: Match.objectLike({
          'Fn::Join': Match.arrayWith([Match.arrayWith([{ Ref: Match.anyValue() }])]),
        }),
      }),
    });
  });

  it('gives no security group an allow-all egress rule', () => {
    const groups = Object.entries(template.findResources('AWS::EC2::SecurityGroup')) as [string, Resource][];
    expect(groups.length).toBeGreaterThanOrEqual(4);

    for (const [id, group] of groups) {
      const egress = (group.Properties.SecurityGroupEgress ?? []) as EgressRule[];
      const openToAll = egress.filter((rule) => rule.CidrIp === '0.0.0.0/0' && rule.IpProtocol === '-1');
      expect({ id, openToAll }).toEqual({ id, openToAll: [] });
    }
  });

  it('lets the writer and the monitor out only to PostgreSQL and to the Secrets Manager endpoint', () => {
    const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')) as Resource[];
    // The rotation reaches the cluster on its port attribute (a token), the functions on 5432.
    const port = (from: unknown) => (typeof from === 'number' ? from : 'cluster port');
    const ports = egress
      .map((rule) => `${rule.Properties.IpProtocol}/${port(rule.Properties.FromPort)}`)
      .sort();

    // writer and monitor to the database and the endpoint, and the rotation to both too.
    expect(ports).toEqual(['tcp/443', 'tcp/443', 'tcp/443', 'tcp/5432', 'tcp/5432', 'tcp/cluster port']);
  });

  it("reaches an existing database's secret over HTTPS only", () => {
    const existing = synth({
      existingDatabase: {
        secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:matcher-db-AbCdEf',
        vpcId: 'vpc-0a1b2c3d4e5f60718',
        availabilityZones: ['eu-west-1a'],
        subnetIds: ['subnet-0a1b2c3d4e5f60711'],
        securityGroupId: 'sg-0a1b2c3d4e5f60718',
      },
    });

    const groups = Object.values(existing.findResources('AWS::EC2::SecurityGroup')) as Resource[];
    const egress = groups.flatMap((group) => (group.Properties.SecurityGroupEgress ?? []) as EgressRule[]);
    expect(egress.filter((rule) => rule.IpProtocol === '-1' && rule.CidrIp === '0.0.0.0/0')).toEqual([]);
    expect(egress).toContainEqual(
      expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443 }),
    );
  });

  it('refuses fewer than 7 days of backups and a rotation period out of range, naming the fix', () => {
    const stack = () => new Stack(app(), 'S');

    expect(() => new ResultsDatabase(stack(), 'Db', { backupRetentionDays: 3 })).toThrow(
      /backupRetentionDays must be a whole number from 7 to 35 \(got 3\)/,
    );
    expect(() => new ResultsDatabase(stack(), 'Db', { rotationDays: 0 })).toThrow(
      /rotationDays .* \(got 0\)/,
    );
  });
});
