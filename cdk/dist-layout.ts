// The build (`scripts/build.ts`) writes these paths and the CDK app (`cdk/app.ts`) deploys them: the
// layout lives here, beside its reader, so the infrastructure never imports a build script.

/** Where the build puts each artifact under `root`; the CDK app reads the same paths. */
export function distLayout(root: string) {
  return {
    root,
    /** The unzipped function code (what `function.zip` holds). */
    code: (name: string) => `${root}/${name}/code`,
    /** The function's zip, which the CDK app deploys. */
    functionZip: (name: string) => `${root}/${name}/function.zip`,
    /** The source map, kept outside the zip: it would double the code's size for a debugging aid. */
    sourceMap: (name: string, bundle = 'index.js') => `${root}/${name}/${bundle}.map`,
    /** The layer's content: `nodejs/node_modules/...`. */
    layerContent: `${root}/layer/content`,
    layerZip: `${root}/layer/layer.zip`,
    sizeReport: `${root}/size-report.json`,
  } as const;
}

/** The paths of `npm run build`'s output, `dist/`. */
export const DIST = distLayout('dist');
