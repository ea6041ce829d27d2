import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Code } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { PredictApi } from './constructs/predict-api';
import { RuntimeLayer } from './constructs/runtime-layer';

export interface MatcherStackProps extends StackProps {
  /** @default 1024 */
  readonly memorySize?: number;
  /** @default 50 */
  readonly reservedConcurrency?: number;
  /** Overrides of the built assets, for tests. @default `dist/predict` and `dist/layer` */
  readonly assets?: { readonly function: Code; readonly layer: Code };
}

/** The matcher in one stack: the runtime layer, the predict function and its REST API. */
export class MatcherStack extends Stack {
  constructor(scope: Construct, id: string, props: MatcherStackProps = {}) {
    super(scope, id, props);
    const runtime = new RuntimeLayer(this, 'Runtime', props.assets ? { code: props.assets.layer } : {});
    const predict = new PredictApi(this, 'Predict', {
      layer: runtime.layer,
      ...(props.assets ? { code: props.assets.function } : {}),
      ...(props.memorySize === undefined ? {} : { memorySize: props.memorySize }),
      ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrency: props.reservedConcurrency }),
    });
    new CfnOutput(this, 'MatcherUrl', { value: predict.api.urlForPath('/budget_expense_matcher') });
    new CfnOutput(this, 'FunctionName', { value: predict.function.functionName });
  }
}
