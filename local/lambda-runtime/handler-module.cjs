// Loads a function's handler module as Lambda's Node.js runtime does (its UserFunction.js): the
// file named by the handler string's module part in the task root, tried as the name itself, then
// `.js` (required, or imported when the nearest package.json says "type": "module"), then `.mjs`
// (imported: an ES module, which may await during its init), then `.cjs` (required); else Node's
// own resolution (a folder, a package). Used by the local runtime loop, `npm run check:lambda` and
// the cold-start benchmark, so the three find the same file Lambda would. Plain CommonJS, no
// dependencies: it runs on the Node 24 binary, outside the project.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

function isFile(file) {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function typeModule(file) {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (isFile(manifest)) {
      try {
        return JSON.parse(fs.readFileSync(manifest, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    if (dir === path.dirname(dir)) return false;
  }
}

const importFile = (file) => import(pathToFileURL(file).href);

/**
 * The module at `base` (an absolute path without extension) and the file it came from. Throws
 * what requiring or importing it threw; `MODULE_NOT_FOUND` (from Node's resolution) when there is
 * no such file.
 */
async function loadHandlerModule(base) {
  if (isFile(base)) return { file: base, module: require(base) };
  const js = `${base}.js`;
  if (isFile(js)) return { file: js, module: typeModule(js) ? await importFile(js) : require(js) };
  const mjs = `${base}.mjs`;
  if (isFile(mjs)) return { file: mjs, module: await importFile(mjs) };
  const cjs = `${base}.cjs`;
  if (isFile(cjs)) return { file: cjs, module: require(cjs) };
  return { file: base, module: require(base) };
}

module.exports = { loadHandlerModule };
