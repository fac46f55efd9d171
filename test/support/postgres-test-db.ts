import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * A fresh, uniquely named database on the server in DATABASE_URL for one test suite, so suites
 * (and engineers) sharing a server never see each other's events. Drop it in afterAll.
 */
export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(serverUrl: string, prefix = 'siren_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    // FORCE terminates connections a failed test may have left open.
    drop: () => withAdmin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(serverUrl: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for the enclosing describe block (or file): created in beforeAll, dropped in
 * afterAll. Its `url` can be read once the block's tests run.
 */
export function suiteDatabase(serverUrl: string, prefix?: string): { readonly url: string } {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(serverUrl, prefix);
  });
  afterAll(async () => {
    await database?.drop();
  });
  return {
    get url(): string {
      if (!database) throw new Error('the suite database is created in beforeAll');
      return database.url;
    },
  };
}
