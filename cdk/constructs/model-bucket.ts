import { RemovalPolicy } from 'aws-cdk-lib';
import { Effect, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface ModelBucketProps {
  /**
   * An existing bucket to hold the models, by name. @default a new bucket: versioned,
   * encrypted, public access blocked, TLS only, kept when the stack is deleted
   */
  readonly existingBucketName?: string;
  /** The key prefix under which model versions and the pointer live. @default `models` */
  readonly prefix?: string;
}

/**
 * Where model versions are published (DESIGN.md #4): a bucket and a prefix, and the one grant
 * the serving function needs, read-only and limited to that prefix.
 */
export class ModelBucket extends Construct {
  readonly bucket: IBucket;
  readonly prefix: string;

  constructor(scope: Construct, id: string, props: ModelBucketProps = {}) {
    super(scope, id);
    this.prefix = (props.prefix ?? 'models').replace(/^\/+|\/+$/g, '');
    this.bucket = props.existingBucketName
      ? Bucket.fromBucketName(this, 'Bucket', props.existingBucketName)
      : new Bucket(this, 'Bucket', {
          versioned: true,
          encryption: BucketEncryption.S3_MANAGED,
          blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
          enforceSSL: true,
          // Models are audit records (DESIGN.md #4): deleting the stack must not delete them.
          removalPolicy: RemovalPolicy.RETAIN,
        });
  }

  /** `s3://<bucket>/<prefix>`: the `MODEL_STORE` setting. */
  get url(): string {
    return `s3://${this.bucket.bucketName}/${this.prefix}`;
  }

  /** Lets `grantee` read objects under the prefix and list only that prefix; nothing else. */
  grantReadModels(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects(`${this.prefix}/*`)],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${this.prefix}/*`, this.prefix] } },
      }),
    );
  }
}
