import { type ArtifactSize, formatBytes, LAMBDA_LIMITS } from '../../layers';
import type { FiguresInput } from './figures-file';

/** `npm run build`'s size report as a figures file (`sizes`), for docs/deploying.md. */
export function sizeFigures(artifacts: readonly ArtifactSize[]): FiguresInput {
  const layer = artifacts.find((a) => a.kind === 'layer');
  const rows: (string | number | null)[][] = artifacts.map((a) => [
    a.name,
    formatBytes(a.unzippedBytes),
    a.zippedBytes === undefined ? null : formatBytes(a.zippedBytes),
    a.biggest
      .slice(0, 4)
      .map((c) => `${packageName(c.path)} ${formatBytes(c.bytes)}`)
      .join(', '),
  ]);
  for (const fn of artifacts.filter((a) => a.kind === 'function' && layer)) {
    rows.push([
      `${fn.name} + layer`,
      `${formatBytes(fn.unzippedBytes + (layer?.unzippedBytes ?? 0))} of ${formatBytes(LAMBDA_LIMITS.unzippedBytes)}`,
      null,
      '',
    ]);
  }
  return {
    command: 'npm run build',
    figures: {
      artifacts: artifacts.map((a) => ({
        name: a.name,
        kind: a.kind,
        unzipped_bytes: a.unzippedBytes,
        zipped_bytes: a.zippedBytes ?? null,
        biggest: a.biggest,
        ...(a.codeFiles ? { code_files: a.codeFiles } : {}),
      })),
      limits: LAMBDA_LIMITS,
    },
    tables: [
      {
        id: 'artifacts',
        columns: ['artifact', 'unzipped', 'zipped', 'biggest parts'],
        rows,
        align: ['left', 'right', 'right', 'left'],
      },
      {
        id: 'code-files',
        title:
          "Each function's code files: the bundle its init loads, and the AWS SDK's, loaded at first use",
        columns: ['function', 'file', 'bytes', 'loaded'],
        rows: artifacts.flatMap((a) =>
          (a.codeFiles ?? []).map((f) => [
            a.name,
            f.path,
            formatBytes(f.bytes),
            f.path.startsWith('index.') ? 'at init' : 'at its first use',
          ]),
        ),
        align: ['left', 'left', 'right', 'left'],
      },
    ],
  };
}

/** `node_modules/@smithy/core` and `nodejs/node_modules/@smithy/core` both read `@smithy/core`. */
function packageName(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  return at < 0 ? path : path.slice(at + 'node_modules/'.length);
}
