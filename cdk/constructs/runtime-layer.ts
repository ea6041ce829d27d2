import { Code, LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface RuntimeLayerProps {
  /**
   * The layer's content: a directory holding `nodejs/node_modules/...`.
   * @default `dist/layer`, written by `npm run build`
   */
  readonly code?: Code;
}

/**
 * The TF.js runtime as a Lambda layer (DESIGN.md #8): tfjs-core, tfjs-layers and the cpu and
 * wasm backends. They are here and not in the function bundle because they are large, change
 * rarely, and carry `.wasm` binaries that esbuild cannot bundle.
 */
export class RuntimeLayer extends Construct {
  readonly layer: LayerVersion;

  constructor(scope: Construct, id: string, props: RuntimeLayerProps = {}) {
    super(scope, id);
    this.layer = new LayerVersion(this, 'Layer', {
      code: props.code ?? Code.fromAsset('dist/layer'),
      compatibleRuntimes: [Runtime.NODEJS_22_X, Runtime.NODEJS_24_X],
      description: 'TF.js runtime for the budget/expense matcher (core, layers, cpu and wasm backends)',
    });
  }
}
