import { Duration } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Where captured requests go under the bucket; one more level per UTC day. */
export const CAPTURE_PREFIX = 'captures/';

export interface CaptureBucketProps {
  /**
   * How long a captured request is kept: it is personal data (a traveller's bookings and
   * expenses), kept only to explain scores. @default 30 days
   */
  readonly expiration?: Duration;
  /** Share of recorded requests captured, 0 … 1 (`CAPTURE_SAMPLE_RATE`). @default 0.1 */
  readonly sampleRate?: number;
}

/**
 * The requests behind recorded results (DESIGN.md #6, monitoring): an S3 bucket, encrypted,
 * private, TLS only, one object per request at `captures/<UTC day>/<request id>.json`, expired by a
 * lifecycle rule. The predict function writes to it (write only: it can neither read nor list).
 */
export class CaptureBucket extends Construct {
  readonly bucket: Bucket;
  readonly sampleRate: number;

  constructor(scope: Construct, id: string, props: CaptureBucketProps = {}) {
    super(scope, id);
    const sampleRate = props.sampleRate ?? 0.1;
    if (!(sampleRate >= 0 && sampleRate <= 1))
      throw new Error(`CaptureBucket: sampleRate ${sampleRate} is not from 0 to 1 (0 turns capture off)`);
    const expiration = props.expiration ?? Duration.days(30);
    if (expiration.toDays() < 1) throw new Error('CaptureBucket: expiration must be at least one day');
    this.sampleRate = sampleRate;
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      lifecycleRules: [{ id: 'ExpireCaptures', prefix: CAPTURE_PREFIX, expiration }],
    });
  }

  /** Lets `grantee` write captures (PutObject under `captures/` only). */
  grantWrite(grantee: IGrantable) {
    return this.bucket.grantPut(grantee, `${CAPTURE_PREFIX}*`);
  }

  /** Points `fn` at the bucket (`CAPTURE_BUCKET`, `CAPTURE_SAMPLE_RATE`) and lets it write. */
  captureFrom(fn: LambdaFunction) {
    fn.addEnvironment('CAPTURE_BUCKET', this.bucket.bucketName);
    fn.addEnvironment('CAPTURE_SAMPLE_RATE', String(this.sampleRate));
    return this.grantWrite(fn);
  }
}
