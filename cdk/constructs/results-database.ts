import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  type IConnectable,
  type IInterfaceVpcEndpoint,
  InterfaceVpcEndpointAwsService,
  type ISecurityGroup,
  type IVpc,
  Port,
  SecurityGroup,
  type SubnetSelection,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import {
  AuroraPostgresEngineVersion,
  ClusterInstance,
  Credentials,
  DatabaseCluster,
  DatabaseClusterEngine,
} from 'aws-cdk-lib/aws-rds';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** A PostgreSQL database that already exists, with what the functions need to reach it. */
export interface ExistingDatabase {
  /**
   * ARN of a Secrets Manager secret with `host`, `port`, `username`, `password`, `dbname` (the
   * shape RDS generates); complete, or partial (without the random suffix).
   */
  readonly secretArn: string;
  readonly vpcId: string;
  readonly availabilityZones: readonly string[];
  /** Subnets the functions run in; they must reach the database and Secrets Manager. */
  readonly subnetIds: readonly string[];
  /** The database's security group; the functions are let in on `port`. */
  readonly securityGroupId: string;
  /** @default 5432 */
  readonly port?: number;
}

export interface ResultsDatabaseProps {
  /** Use this database instead of creating one. @default a new Aurora PostgreSQL Serverless v2 cluster */
  readonly existing?: ExistingDatabase;
  /**
   * Aurora capacity range in ACUs. 0.5 is the smallest Serverless v2 runs at; 4 is ample for
   * batched inserts of results and the daily monitoring queries.
   * @default { min: 0.5, max: 4 }
   */
  readonly capacity?: { readonly min: number; readonly max: number };
  /**
   * Days of automated backups (point-in-time recovery). Aurora keeps 1 to 35; the results and
   * labels are the monitoring history, so less than a week is refused.
   * @default 7
   */
  readonly backupRetentionDays?: number;
  /**
   * Days between rotations of the database password (Secrets Manager's hosted single-user
   * rotation). The functions read the secret for every new connection, so a rotation never needs
   * a redeploy.
   * @default 30
   */
  readonly rotationDays?: number;
  /**
   * Refuse to delete the cluster, whether by hand or with the stack. Turn it off on purpose, in a
   * deploy of its own, before deleting a stack whose history you no longer need.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/**
 * The results and labels database (DESIGN.md #6): by default Aurora PostgreSQL Serverless v2 in
 * a VPC of its own with no internet route (isolated subnets, a Secrets Manager endpoint), or an
 * existing database given by its secret. Credentials live only in Secrets Manager.
 */
export class ResultsDatabase extends Construct {
  readonly vpc: IVpc;
  readonly subnets: SubnetSelection;
  readonly secret: ISecret;
  private readonly securityGroup: ISecurityGroup;
  private readonly port: number;
  /** The Secrets Manager endpoint in the database's own VPC; none for an existing database. */
  private readonly secretsEndpoint?: IInterfaceVpcEndpoint;

  constructor(scope: Construct, id: string, props: ResultsDatabaseProps = {}) {
    super(scope, id);
    const { existing } = props;
    const backupRetentionDays = props.backupRetentionDays ?? 7;
    if (!Number.isInteger(backupRetentionDays) || backupRetentionDays < 7 || backupRetentionDays > 35) {
      throw new Error(
        `ResultsDatabase: backupRetentionDays must be a whole number from 7 to 35 (got ${backupRetentionDays})`,
      );
    }
    const rotationDays = props.rotationDays ?? 30;
    if (!Number.isInteger(rotationDays) || rotationDays < 1 || rotationDays > 365) {
      throw new Error(
        `ResultsDatabase: rotationDays must be a whole number from 1 to 365 (got ${rotationDays})`,
      );
    }
    if (existing) {
      this.vpc = Vpc.fromVpcAttributes(this, 'Vpc', {
        vpcId: existing.vpcId,
        availabilityZones: [...existing.availabilityZones],
        privateSubnetIds: [...existing.subnetIds],
      });
      this.subnets = { subnetType: SubnetType.PRIVATE_WITH_EGRESS };
      // A complete ARN ends in the six random characters Secrets Manager appends to the name;
      // a partial one (as people often copy it) is granted with a wildcard for them.
      this.secret = /-[A-Za-z0-9]{6}$/.test(existing.secretArn)
        ? Secret.fromSecretCompleteArn(this, 'Secret', existing.secretArn)
        : Secret.fromSecretPartialArn(this, 'Secret', existing.secretArn);
      this.securityGroup = SecurityGroup.fromSecurityGroupId(this, 'SecurityGroup', existing.securityGroupId);
      this.port = existing.port ?? 5432;
      return;
    }
    const vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      // No NAT: nothing here calls the internet; the one AWS API needed has an endpoint below.
      natGateways: 0,
      subnetConfiguration: [{ name: 'data', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
    // `open: false`: only the functions granted access (`allowFrom`) and the rotation reach it.
    this.secretsEndpoint = vpc.addInterfaceEndpoint('SecretsManager', {
      service: InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      open: false,
      securityGroups: [
        new SecurityGroup(this, 'EndpointSecurityGroup', {
          vpc,
          description: 'Secrets Manager endpoint: HTTPS in from the granted functions, nothing out',
          allowAllOutbound: false,
        }),
      ],
    });
    this.vpc = vpc;
    this.subnets = { subnetType: SubnetType.PRIVATE_ISOLATED };
    // The database answers connections and starts none.
    const databaseGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'results database: PostgreSQL in from the granted functions, nothing out',
      allowAllOutbound: false,
    });
    const cluster = new DatabaseCluster(this, 'Cluster', {
      engine: DatabaseClusterEngine.auroraPostgres({ version: AuroraPostgresEngineVersion.VER_16_6 }),
      writer: ClusterInstance.serverlessV2('writer'),
      serverlessV2MinCapacity: props.capacity?.min ?? 0.5,
      serverlessV2MaxCapacity: props.capacity?.max ?? 4,
      vpc,
      vpcSubnets: this.subnets,
      credentials: Credentials.fromGeneratedSecret('matcher'),
      defaultDatabaseName: 'matcher',
      securityGroups: [databaseGroup],
      storageEncrypted: true,
      // Results and labels are the monitoring history: protected from deletion, backed up for at
      // least a week, and a snapshot kept if the stack goes all the same.
      deletionProtection: props.deletionProtection ?? true,
      backup: { retention: Duration.days(backupRetentionDays) },
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    if (!cluster.secret) throw new Error('ResultsDatabase: the database cluster has no generated secret');
    this.secret = cluster.secret;
    // The hosted rotation function runs in the VPC: it reaches the database (the rule CDK adds)
    // and Secrets Manager through the endpoint, and nothing else.
    const rotationGroup = new SecurityGroup(this, 'RotationSecurityGroup', {
      vpc,
      description: 'password rotation: PostgreSQL and Secrets Manager only',
      allowAllOutbound: false,
    });
    cluster.addRotationSingleUser({
      automaticallyAfter: Duration.days(rotationDays),
      endpoint: this.secretsEndpoint,
      vpcSubnets: this.subnets,
      securityGroup: rotationGroup,
    });
    this.secretsEndpoint.connections.allowDefaultPortFrom(rotationGroup, 'rotation to Secrets Manager');
    this.securityGroup = cluster.connections.securityGroups[0] as ISecurityGroup;
    this.port = 5432;
  }

  /**
   * Lets `client` connect to the database's port and read its credentials: the ingress rule on the
   * database, and on a client whose group allows no egress (`MatcherFunction`), the matching
   * egress rules to the database and to Secrets Manager.
   */
  allowFrom(client: IConnectable & IGrantable): void {
    this.securityGroup.connections.allowFrom(client, Port.tcp(this.port), 'matcher functions to PostgreSQL');
    if (this.secretsEndpoint) {
      this.secretsEndpoint.connections.allowDefaultPortFrom(client, 'matcher functions to Secrets Manager');
    } else {
      // An existing database's secret is reached however its subnets reach Secrets Manager.
      client.connections.allowToAnyIpv4(Port.tcp(443), 'Secrets Manager (HTTPS)');
    }
    this.secret.grantRead(client);
  }
}
