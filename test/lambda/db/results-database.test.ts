import { openResultsDatabase, poolFromSecret } from '../../../lambda/db/results-database';
import { ConfigurationError } from '../../../lambda/errors';

const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:matcher-db-AbCdEf';
const secret = (password: string) =>
  JSON.stringify({ host: 'db.internal', port: 5432, username: 'matcher', password, dbname: 'matcher' });

describe('poolFromSecret', () => {
  it('reads the connection settings from an RDS-shaped secret', async () => {
    const config = await poolFromSecret(arn, async () => secret('first'));

    expect(config).toMatchObject({ host: 'db.internal', port: 5432, user: 'matcher', database: 'matcher' });
    expect(config.ssl).toEqual({ rejectUnauthorized: true });
    await expect(config.password()).resolves.toBe('first');
  });

  it('reads the password again for each new connection, so a rotated password is used', async () => {
    let current = 'before-rotation';
    const reads: string[] = [];
    const config = await poolFromSecret(arn, async (id) => {
      reads.push(id);
      return secret(current);
    });

    const first = await config.password();
    current = 'after-rotation';
    const second = await config.password();

    expect([first, second]).toEqual(['before-rotation', 'after-rotation']);
    expect(reads).toEqual([arn, arn, arn]);
  });

  it('names the secret and the missing field when the secret is not usable', async () => {
    await expect(poolFromSecret(arn, async () => undefined)).rejects.toThrow(
      `configuration DATABASE_SECRET_ARN: secret ${arn} has no string value`,
    );
    await expect(
      poolFromSecret(arn, async () => JSON.stringify({ host: 'h', username: 'u' })),
    ).rejects.toThrow(`secret ${arn} has no "password"`);
  });
});

describe('openResultsDatabase', () => {
  const saved = process.env.DATABASE_POOL_MAX;
  afterEach(() => {
    if (saved === undefined) delete process.env.DATABASE_POOL_MAX;
    else process.env.DATABASE_POOL_MAX = saved;
  });

  it('refuses a DATABASE_POOL_MAX that is not a whole number of at least 1, before connecting', async () => {
    process.env.DATABASE_POOL_MAX = '0';
    const opening = openResultsDatabase({ kind: 'url', url: 'postgres://nobody@127.0.0.1:1/none' });

    await expect(opening).rejects.toBeInstanceOf(ConfigurationError);
    await expect(opening).rejects.toThrow(
      'configuration DATABASE_POOL_MAX: "0" is not a whole number of at least 1',
    );
  });
});
