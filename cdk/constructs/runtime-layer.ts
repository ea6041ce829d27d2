import { type Code, LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { RUNTIME_LAYER_PACKAGES } from '../../layers';

export interface RuntimeLayerProps {
  /**
   * The layer's content: a zip or directory holding `nodejs/node_modules/...`; the app passes
   * `dist/layer/layer.zip`, written by `npm run build` and checked by `npm run check:lambda`.
   */
  readonly code: Code;
}

/**
 * The TF.js runtime as a Lambda layer (DESIGN.md #8). The packages, and why each is in the layer
 * and not in the bundles, are listed in `layers/runtime-layer-spec.ts`; the handler bundles
 * mark exactly those as external, so nothing ships twice.
 */
export class RuntimeLayer extends Construct {
  readonly layer: LayerVersion;

  constructor(scope: Construct, id: string, props: RuntimeLayerProps) {
    super(scope, id);
    this.layer = new LayerVersion(this, 'Layer', {
      code: props.code,
      compatibleRuntimes: [Runtime.NODEJS_22_X, Runtime.NODEJS_24_X],
      description: `TF.js runtime: ${RUNTIME_LAYER_PACKAGES.map((p) => p.name.replace('@tensorflow/', '')).join(', ')} (those installed at build time)`,
    });
  }
}
