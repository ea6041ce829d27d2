/**
 * The direction of imports (docs/architecture.md), checked by `npm run lint`: inside `lambda/` a
 * folder imports only folders of a lower layer, nothing imports a handler, there are no cycles,
 * and `lambda/` imports nothing outside itself.
 */

/** `lambda/` folders, lowest layer first; a folder may import the folders of the layers before its own. */
const LAYERS = [
  ['errors', 'retry'],
  ['contract', 'model-store'],
  ['config'],
  ['features', 'db', 'metrics', 'captures'],
  ['model', 'results', 'monitoring', 'edge'],
  ['feedback', 'matcher'],
  ['batch'],
];
const HANDLERS = '^lambda/(predict|labels|writer|monitor|batch)\\.ts$';
const folder = (name) => (name === 'errors' ? '^lambda/errors\\.ts$' : `^lambda/${name}/`);

const layerRules = LAYERS.flatMap((layer, i) =>
  layer.map((name) => {
    const notBelow = LAYERS.slice(i)
      .flat()
      .filter((other) => other !== name);
    return {
      name: `layer-${name}`,
      comment: `lambda/${name} may import only folders of a lower layer (docs/architecture.md)`,
      severity: 'error',
      from: { path: folder(name) },
      to: { path: [...notBelow.map(folder), HANDLERS] },
    };
  }),
);

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'lambda-folder-in-a-layer',
      comment: 'every lambda/ folder has its row in LAYERS (and in docs/architecture.md)',
      severity: 'error',
      from: { path: '^lambda/[^/]+/', pathNot: LAYERS.flat().map(folder) },
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'no import cycles anywhere',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lambda-stays-inside',
      comment: 'what a Lambda bundle can reach is lambda/ and packages only',
      severity: 'error',
      from: { path: '^lambda/' },
      // @tensorflow/tfjs-node is an optional dependency, often not installed (so not resolved).
      to: { pathNot: ['^lambda/', 'node_modules', '^@tensorflow/tfjs-node$'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'model-store-through-its-index',
      comment: 'other folders use the model store through lambda/model-store/index.ts only',
      severity: 'error',
      from: { path: '^(lambda|ops)/', pathNot: '^lambda/model-store/' },
      to: { path: '^lambda/model-store/', pathNot: '^lambda/model-store/index\\.ts$' },
    },
    {
      name: 'cdk-not-scripts',
      comment: 'the infrastructure does not depend on build scripts',
      severity: 'error',
      from: { path: '^cdk/' },
      to: { path: '^(scripts|bench|local|ops|train|report)/' },
    },
    {
      name: 'ops-not-tools',
      comment: 'ops/ (model admin) is a library for the CLI and benchmarks, below them',
      severity: 'error',
      from: { path: '^ops/' },
      to: { path: '^(scripts|bench|local|cdk|train|report)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|dist|cdk\\.out|\\.data)/' },
  },
};
