import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  installedNode24,
  LAMBDA_NODE_VERSION,
  node24Prefix,
  nodePackageName,
} from '../local/lambda-runtime/node-binary';

/**
 * `npm run setup:node24` (run by `npm install` as `postinstall`, and by `.ci/run`): installs the
 * Node.js binary Lambda's runtime matches, `node-<platform>-<arch>@LAMBDA_NODE_VERSION` from the
 * npm registry, into `node_modules/.cache/node24` (nothing else is downloaded). Does nothing when
 * that version is there. `--optional` (the postinstall) warns instead of failing, so a machine
 * that cannot reach the registry still installs the rest.
 */
function main(): void {
  const optional = process.argv.includes('--optional');
  const binary = installedNode24();
  if (existsSync(binary) && version(binary) === `v${LAMBDA_NODE_VERSION}`) {
    console.log(`node ${LAMBDA_NODE_VERSION} for the local Lambda runtime: ${binary}`);
    return;
  }
  const spec = `${nodePackageName()}@${LAMBDA_NODE_VERSION}`;
  console.log(`installing ${spec} (the local Lambda runtime's Node) into ${node24Prefix()}`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(
    npm,
    [
      'install',
      '--prefix',
      node24Prefix(),
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      spec,
    ],
    { stdio: 'inherit', env: { ...process.env, npm_config_global: 'false' } },
  );
  if (run.status === 0 && existsSync(binary)) {
    console.log(`node ${version(binary)}: ${binary}`);
    return;
  }
  const message = `could not install ${spec}; \`npm run start:lambda\` and \`npm run check:lambda\` need it (or NODE24_BINARY)`;
  if (!optional) throw new Error(message);
  console.warn(`warning: ${message}`);
}

function version(binary: string): string {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
