import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type ResultsDatabaseSource, resultsDatabaseSource } from '../config/database-config';
import { ConfigurationError } from '../errors';
import type { Database } from './database';
import { migrate } from './migrate';
import { openDatabase } from './open-database';

/**
 * The Unix socket a running `npm start` serves its PGlite database on (`pglite-socket`), inside
 * the data directory. PGlite is one process's database: while the local server holds it, the
 * CLI commands (`db:migrate`, `labels`, `report`) reach it through this socket with `pg`.
 * `pg` takes the socket's directory as `host` and names the file `.s.PGSQL.<port>`.
 */
export function localSocketPath(dir: string): string {
  const path = join(dir, LOCAL_SOCKET_NAME);
  // Unix socket paths hold 107 bytes; Node cuts a longer one silently, and then the server and a
  // CLI would each open the directory themselves: two processes on one PGlite database.
  if (Buffer.byteLength(path) > 107) {
    throw new ConfigurationError(
      'RESULTS_DB_DIR',
      `"${dir}" is too long for its Unix socket (${Buffer.byteLength(path)} of 107 bytes); use a shorter directory`,
    );
  }
  return path;
}
const LOCAL_SOCKET_PORT = 5432;
const LOCAL_SOCKET_NAME = `.s.PGSQL.${LOCAL_SOCKET_PORT}`;

/**
 * Opens the results database the environment names and applies its migrations. For PGlite it
 * connects through the local server's socket when one is listening, and opens the directory
 * itself otherwise.
 */
export async function openResultsDatabase(
  source: ResultsDatabaseSource = resultsDatabaseSource(),
  options: { readonly migrate?: boolean } = {},
): Promise<Database> {
  const db = await connect(source);
  if (options.migrate !== false) {
    try {
      await migrate(db);
    } catch (error) {
      await db.close().catch(() => {});
      throw error;
    }
  }
  return db;
}

/** `DATABASE_POOL_MAX`: connections a pool opens at most (the writer's is set by the CDK stack). */
function poolMax(env: NodeJS.ProcessEnv = process.env): { max?: number } {
  const raw = env.DATABASE_POOL_MAX;
  if (raw === undefined || raw === '') return {};
  const max = Number(raw);
  if (!Number.isInteger(max) || max < 1)
    throw new ConfigurationError('DATABASE_POOL_MAX', `"${raw}" is not a whole number of at least 1`);
  return { max };
}

async function connect(source: ResultsDatabaseSource): Promise<Database> {
  switch (source.kind) {
    case 'url':
      return openDatabase({ pool: { connectionString: source.url, ...poolMax() } });
    case 'secret':
      return openDatabase({ pool: { ...(await poolFromSecret(source.secretArn)), ...poolMax() } });
    case 'pglite': {
      if (existsSync(localSocketPath(source.dir))) {
        const viaSocket = await openDatabase({
          pool: { host: source.dir, port: LOCAL_SOCKET_PORT, user: 'postgres', database: 'postgres', max: 1 },
        });
        // A socket file left by a server that has gone (nothing listens): open the directory
        // instead. Any other failure is raised: opening the directory under a live server would
        // give two processes one PGlite database.
        const error = await viaSocket.query('SELECT 1').then(
          () => undefined,
          (e: unknown) => e,
        );
        if (error === undefined) return viaSocket;
        await viaSocket.close().catch(() => {});
        const code = (error as { code?: unknown }).code;
        if (code !== 'ECONNREFUSED' && code !== 'ENOENT') throw error;
        rmSync(localSocketPath(source.dir), { force: true });
      }
      return openDatabase({ pgliteDir: source.dir });
    }
  }
}

/** Reads a secret's string value (Secrets Manager in AWS; a stand-in in tests). */
export type ReadSecretString = (secretArn: string) => Promise<string | undefined>;

const fromSecretsManager: ReadSecretString = async (secretArn) => {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const reply = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretArn }));
  return reply.SecretString;
};

/**
 * The connection settings in an RDS/Aurora secret (`host`, `port`, `username`, `password`,
 * `dbname`). The password is read again for every new connection, so a rotated password (the
 * stack rotates it every 30 days) is picked up without a redeploy or a cold start: connections
 * already open stay open, and the next one uses the new password.
 */
export async function poolFromSecret(
  secretArn: string,
  readSecretString: ReadSecretString = fromSecretsManager,
) {
  const read = async () => {
    const text = await readSecretString(secretArn);
    if (!text) throw new ConfigurationError('DATABASE_SECRET_ARN', `secret ${secretArn} has no string value`);
    const secret = JSON.parse(text) as Record<string, unknown>;
    for (const field of ['host', 'username', 'password'] as const) {
      if (typeof secret[field] !== 'string') {
        throw new ConfigurationError('DATABASE_SECRET_ARN', `secret ${secretArn} has no "${field}"`);
      }
    }
    return secret as Record<string, unknown> & { host: string; username: string; password: string };
  };
  const secret = await read();
  return {
    host: secret.host,
    port: Number(secret.port ?? 5432),
    user: secret.username,
    password: async () => (await read()).password,
    database: typeof secret.dbname === 'string' ? secret.dbname : 'postgres',
    // Aurora requires TLS; its certificates chain to the RDS CA, which Lambda's Node trusts.
    ssl: { rejectUnauthorized: true },
  };
}

/**
 * One line naming the results database, for banners and CLI reports (no password): PGlite and
 * its directory (opened directly, or through a running server's socket), or the PostgreSQL server.
 */
export function describeResultsDatabase(source: ResultsDatabaseSource, db: Database): string {
  switch (source.kind) {
    case 'pglite':
      return db.kind === 'pglite'
        ? `PGlite in ${source.dir}`
        : `PGlite in ${source.dir}, through the running server's socket`;
    case 'url': {
      const url = new URL(source.url);
      return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname} (DATABASE_URL)`;
    }
    case 'secret':
      return `PostgreSQL from secret ${source.secretArn} (DATABASE_SECRET_ARN)`;
  }
}
