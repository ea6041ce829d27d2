import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../../lambda/config';
import { MatcherError } from '../../lambda/errors';
import { FEATURE_SPEC_HASH } from '../../lambda/features';
import { openStore, readPointer } from '../../lambda/model-store';
import {
  aliasTargets,
  diffManifests,
  listVersions,
  promoteVersion,
  publishVersion,
  resealArtifact,
  resolveVersion,
  rollbackAlias,
} from '../../ops/model-admin';
import { formatDiff, formatSliceDiff, formatVersions } from './format-versions';

/** What a CLI run printed and its exit code (0 ok, 1 failed, 2 usage). */
export interface CliResult {
  readonly code: number;
  readonly output: string;
}

export const USAGE = `usage: npm run model -- <command> [options]

commands:
  publish <artifact-dir> [--alias <name>] [--reseal]
                                            upload a trained artifact as a new version (never overwrites);
                                            its golden requests are re-run first. --reseal first seals an
                                            edited copy (vendor alias table) as a new version: new id,
                                            checksums, table hash, golden scores re-recorded
  promote <version> [--alias <name>]        point an alias (default live) at a version
  rollback [--alias <name>]                 move an alias (default live) back to its previous version
  list                                      versions with their aliases, data hash, metrics, threshold
  show <version|alias>                      one version's whole manifest
  diff <version|alias> <version|alias>      two manifests side by side, metrics with their change, and
                                            the test metrics by slice and budget type

options:
  --store <dir|s3://bucket/prefix>          the model store (default: MODEL_STORE, else .data/model-store)
  --json                                    machine-readable output
  --all                                     diff: every field, not only those that differ`;

/**
 * The store used when neither `--store` nor `MODEL_STORE` names one: a directory under the ignored
 * data folder, so trying the commands out needs no setup and leaves `git status` clean.
 */
export const LOCAL_STORE = '.data/model-store';

/** A model artifact directory given where a store belongs: what to do instead. */
function artifactNotStore(location: string): string | undefined {
  if (location.startsWith('s3://') || !existsSync(join(location, 'manifest.json'))) return undefined;
  return `${location} is a model artifact (it has a manifest.json), not a store. Publish it into a store:
  npm run model -- publish ${location} --alias live [--store <dir|s3://bucket/prefix>]`;
}

/**
 * The \`model\` command: publish, promote, rollback, list, show and diff against a directory or S3
 * store. Returns what to print rather than printing, so tests call it directly.
 * @example await runModelCli(['promote', '2026-11-23T081400Z', '--store', 's3://acme-models/matcher'])
 */
export async function runModelCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliResult> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return { code: 2, output: `${error instanceof Error ? error.message : String(error)}\n\n${USAGE}` };
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || !command) return { code: command || values.help ? 0 : 2, output: USAGE };
  const config = readConfig(env);
  const location = values.store ?? config.modelStore ?? LOCAL_STORE;
  const notArtifact = artifactNotStore(location);
  if (notArtifact) return { code: 2, output: notArtifact };
  const store = openStore(location, config.s3Endpoint);
  const alias = values.alias ?? 'live';
  const json = (value: unknown) => ({ code: 0, output: JSON.stringify(value, null, 2) });
  const need = (n: number, what: string) => {
    if (args.length !== n) throw new UsageError(`${command} takes ${what}`);
  };
  try {
    switch (command) {
      case 'publish': {
        need(1, 'one artifact directory');
        const sealed = values.reseal ? await resealArtifact(args[0] as string) : undefined;
        const result = await publishVersion(store, args[0] as string, values.alias ? { alias } : {});
        if (values.json) return json(sealed ? { ...result, resealed: sealed } : result);
        const resealed = sealed
          ? `resealed ${sealed.previousVersion} as ${sealed.version} (${sealed.brands ?? 'no'} alias brands; ${sealed.goldenChanged} golden scores changed)\n`
          : '';
        return {
          code: 0,
          output: `${resealed}published ${result.version} (${result.files} files, ${result.bytes} bytes) to ${result.location}${result.alias ? `\n${result.alias} -> ${result.version}` : ''}`,
        };
      }
      case 'promote': {
        need(1, 'one version');
        const move = await promoteVersion(store, alias, args[0] as string);
        if (values.json) return json(move);
        const { manifest } = await resolveVersion(store, move.version);
        // The store cannot know what the deployed code implements; this checkout's spec is a hint.
        const warning =
          manifest.feature_spec.hash === FEATURE_SPEC_HASH
            ? ''
            : `\nwarning: ${move.version} was trained on feature spec ${manifest.feature_spec.hash.slice(0, 12)}; this checkout implements ${FEATURE_SPEC_HASH.slice(0, 12)}. A service running this code will refuse it and keep serving the previous version.`;
        return {
          code: 0,
          output: `${move.changed ? `${alias} -> ${move.version} (was ${move.previous ?? 'unset'})` : `${alias} already names ${move.version}`}${warning}`,
        };
      }
      case 'rollback': {
        need(0, 'no positional arguments (use --alias)');
        const move = await rollbackAlias(store, alias);
        return values.json
          ? json(move)
          : { code: 0, output: `${alias} -> ${move.version} (rolled back from ${move.previous})` };
      }
      case 'list': {
        need(0, 'no positional arguments');
        const versions = await listVersions(store);
        if (values.json) return json(versions);
        const hint =
          versions.length === 0
            ? `\nstart it from the committed model: npm run model -- publish models/default --alias live${location === LOCAL_STORE ? '' : ` --store ${location}`}`
            : '';
        return { code: 0, output: `${store.location}\n${formatVersions(versions)}${hint}` };
      }
      case 'show': {
        need(1, 'one version or alias');
        const { version, manifest } = await resolveVersion(store, args[0] as string);
        const aliases = (await aliasTargets(store)).get(version) ?? [];
        const pointers = await Promise.all(aliases.map((a) => readPointer(store, a)));
        return json({ version, aliases: pointers, manifest });
      }
      case 'diff': {
        need(2, 'two versions or aliases');
        const [a, b] = await Promise.all(args.map((ref) => resolveVersion(store, ref)));
        if (!a || !b) throw new UsageError('diff takes two versions or aliases');
        const rows = diffManifests(a.manifest, b.manifest);
        return values.json
          ? json(rows)
          : {
              code: 0,
              output: `${formatDiff(a.version, b.version, rows, values.all)}\n\n${formatSliceDiff(a.version, b.version, a.manifest, b.manifest)}`,
            };
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) return { code: 2, output: `${error.message}\n\n${USAGE}` };
    if (error instanceof MatcherError) {
      return {
        code: 1,
        output: `error [${error.code}]${error.field ? ` (${error.field})` : ''}: ${error.message}`,
      };
    }
    throw error;
  }
}

class UsageError extends Error {}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      store: { type: 'string' },
      alias: { type: 'string' },
      json: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      reseal: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
