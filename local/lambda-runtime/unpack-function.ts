import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import extract from 'extract-zip';

/** A function unpacked as Lambda lays it out, in a folder of its own. */
export interface FunctionLayout {
  /** The folder holding the rest; removed by {@link removeLayout}. */
  readonly root: string;
  /** `/var/task`: the function's zip, unpacked; the instances' working directory. */
  readonly taskRoot: string;
  /** `/opt`: every layer's zip, unpacked over one another in order. */
  readonly opt: string;
  /** `/var/runtime`'s entry point: the runtime loop each instance runs. */
  readonly runtimeLoop: string;
}

/**
 * Unpacks `functionZip` into `task/` and each of `layerZips` into `opt/` under a new folder in the
 * system's temporary directory, beside a copy of the runtime loop (and the module it finds the
 * handler's file with). The folder is outside the
 * project on purpose: a `node_modules` above `/var/task` would be found by Node's resolution and
 * hide a module the zips are missing, which Lambda would not find.
 */
export async function unpackFunction(
  functionZip: string,
  layerZips: readonly string[],
): Promise<FunctionLayout> {
  for (const zip of [functionZip, ...layerZips]) {
    if (!existsSync(zip)) throw new Error(`${zip} is missing: run \`npm run build\` first`);
  }
  const root = mkdtempSync(join(tmpdir(), 'lambda-runtime-'));
  for (let dir = root; dir !== join(dir, '..'); dir = join(dir, '..')) {
    if (existsSync(join(dir, 'node_modules')))
      throw new Error(
        `${join(dir, 'node_modules')} exists above the function's folder; set TMPDIR elsewhere`,
      );
  }
  const layout: FunctionLayout = {
    root,
    taskRoot: join(root, 'task'),
    opt: join(root, 'opt'),
    runtimeLoop: join(root, 'runtime', 'bootstrap.cjs'),
  };
  try {
    await extract(functionZip, { dir: layout.taskRoot });
    mkdirSync(layout.opt, { recursive: true });
    for (const zip of layerZips) await extract(zip, { dir: layout.opt });
    mkdirSync(join(root, 'runtime'));
    copyFileSync(join(__dirname, 'runtime-loop.cjs'), layout.runtimeLoop);
    copyFileSync(join(__dirname, 'handler-module.cjs'), join(root, 'runtime', 'handler-module.cjs'));
  } catch (error) {
    removeLayout(layout);
    throw error;
  }
  return layout;
}

/** Removes what {@link unpackFunction} made. */
export function removeLayout(layout: FunctionLayout): void {
  rmSync(layout.root, { recursive: true, force: true });
}
