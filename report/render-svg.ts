import type { TopLevelSpec } from 'vega-lite/build/index';

type VegaLite = typeof import('vega-lite/build/index');
type Vega = typeof import('vega');

/**
 * Compiles a Vega-Lite spec to Vega and renders it to SVG text in Node (no browser, no canvas):
 * the charts are drawn by Vega, not by hand. Vega and Vega-Lite are ES modules only, so they are
 * imported dynamically (this file is loaded as CommonJS); the names are variables so the type
 * checker, which resolves packages the CommonJS way, does not look for them.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vegaLite = (await import(VEGA_LITE)) as VegaLite;
  const vega = (await import(VEGA)) as Vega;
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const VEGA_LITE: string = 'vega-lite';
const VEGA: string = 'vega';
