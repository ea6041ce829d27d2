import { Alias, type Code, type ILayerVersion } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MatcherFunction } from './matcher-function';

export interface LabelsFunctionProps {
  /** The labels handler bundle (`dist/labels/function.zip`). */
  readonly code: Code;
  /** The runtime layer (the handler reads the shared configuration, which names TF.js backends). */
  readonly layer: ILayerVersion;
  /** Where labels are sent (`RESULTS_QUEUE_URL`), the same queue as the scored results. */
  readonly resultsQueue: IQueue;
  /**
   * Labels come from people and review tools, a few requests a second at most.
   * @default 10
   */
  readonly reservedConcurrency?: number;
  /** @default one month */
  readonly logRetention?: RetentionDays;
}

/**
 * The labels function behind `POST /feedback`, on its own so that its permission is its own: the
 * scoring function cannot tell a forged API Gateway event from a real one, so only this function,
 * reached through the API (IAM-authorised by default), takes labels. It may only send to the
 * results queue.
 */
export class LabelsFunction extends Construct {
  readonly function: MatcherFunction;
  readonly alias: Alias;

  constructor(scope: Construct, id: string, props: LabelsFunctionProps) {
    super(scope, id);
    this.function = new MatcherFunction(this, 'Function', {
      code: props.code,
      description: 'Takes labels (POST /feedback): which scored pairs really match',
      layer: props.layer,
      memorySize: 256,
      reservedConcurrency: props.reservedConcurrency ?? 10,
      logRetention: props.logRetention,
      environment: { RESULTS_QUEUE_URL: props.resultsQueue.queueUrl },
    });
    props.resultsQueue.grantSendMessages(this.function);
    this.alias = new Alias(this, 'Live', { aliasName: 'live', version: this.function.currentVersion });
  }
}
