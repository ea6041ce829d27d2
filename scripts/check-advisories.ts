import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { satisfies } from 'semver';

/** One known vulnerability: a package and the versions it affects (`security/advisories.json`). */
export interface Advisory {
  readonly id: string;
  readonly package: string;
  /** A semver range of affected versions. */
  readonly vulnerable: string;
  readonly summary: string;
}

/** A package installed at a vulnerable version, and where the lock file puts it. */
export interface Finding {
  readonly advisory: Advisory;
  readonly path: string;
  readonly version: string;
}

interface LockFile {
  readonly packages: Record<string, { readonly version?: string; readonly dev?: boolean }>;
}

/**
 * Every package in `lock` (npm's lock file v2/v3) that one of `advisories` names at an affected
 * version. Without `includeDev`, only what the service can run: packages not marked `dev`
 * (optional ones included, since an optional runtime package ships where it installs).
 */
export function findAdvisories(
  lock: LockFile,
  advisories: readonly Advisory[],
  options: { readonly includeDev?: boolean } = {},
): Finding[] {
  const byName = new Map<string, Advisory[]>();
  for (const advisory of advisories)
    byName.set(advisory.package, [...(byName.get(advisory.package) ?? []), advisory]);
  const findings: Finding[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.version === undefined) continue;
    if (entry.dev && !options.includeDev) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    for (const advisory of byName.get(name) ?? []) {
      if (satisfies(entry.version, advisory.vulnerable, { includePrerelease: true })) {
        findings.push({ advisory, path, version: entry.version });
      }
    }
  }
  return findings;
}

/** What `npm audit` said, or why it could not be asked. */
type AuditAnswer =
  | { readonly ok: true; readonly high: number }
  | { readonly ok: false; readonly reason: string };

/** Asks the registry's audit service, which answers on some networks and not on others. */
function askNpmAudit(root: string): AuditAnswer {
  const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  try {
    const report = JSON.parse(run.stdout) as {
      metadata?: { vulnerabilities?: Record<string, number> };
      message?: string;
    };
    const counts = report.metadata?.vulnerabilities;
    if (!counts) return { ok: false, reason: report.message ?? 'no report' };
    return { ok: true, high: (counts.high ?? 0) + (counts.critical ?? 0) };
  } catch {
    return { ok: false, reason: run.error?.message ?? (run.stderr.trim().split('\n')[0] || 'no answer') };
  }
}

/**
 * `npm run check:advisories [-- --all]`: fails (exit 1) when a runtime dependency in the lock file
 * is at a version a known advisory names: the registry's audit when it answers, and always the
 * offline list in `security/advisories.json`. `--all` checks development packages too.
 */
function main(): void {
  const root = join(__dirname, '..');
  const includeDev = process.argv.includes('--all');
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as LockFile;
  const { advisories } = JSON.parse(readFileSync(join(root, 'security', 'advisories.json'), 'utf8')) as {
    advisories: Advisory[];
  };
  let failed = false;
  const audit = askNpmAudit(root);
  if (audit.ok) {
    console.log(`npm audit: ${audit.high} high or critical in runtime dependencies`);
    failed ||= audit.high > 0;
  } else {
    console.log(`npm audit could not be asked (${audit.reason}); the offline list is checked`);
  }
  const findings = findAdvisories(lock, advisories, { includeDev });
  for (const { advisory, path, version } of findings) {
    console.log(
      `${advisory.id}: ${path} ${version} is affected (${advisory.vulnerable}): ${advisory.summary}`,
    );
  }
  const scope = includeDev ? 'all packages' : 'runtime packages';
  console.log(
    `offline list: ${advisories.length} advisories, ${findings.length} found in the lock file's ${scope}`,
  );
  failed ||= findings.length > 0;
  process.exit(failed ? 1 : 0);
}

if (require.main === module) main();
