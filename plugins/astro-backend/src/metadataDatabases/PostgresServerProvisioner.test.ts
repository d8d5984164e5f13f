import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { JsonObject } from '@backstage/types';
import { Client } from 'pg';
import { PostgresServerProvisioner } from './PostgresServerProvisioner';
import { metadataDatabaseNames } from './names';
import { scramVerifierMatches } from './scram';

/*
 * Runs against a real PostgreSQL server: ASTRO_TEST_POSTGRES_URL, e.g.
 * postgresql://postgres@127.0.0.1:5432, with a superuser. Without it the
 * tests are skipped loudly, or fail when CI=true.
 */
const POSTGRES_URL = process.env.ASTRO_TEST_POSTGRES_URL;

if (!POSTGRES_URL) {
  if (process.env.CI === 'true') {
    it('has ASTRO_TEST_POSTGRES_URL: with CI=true the provisioner must be tested against a real PostgreSQL', () => {
      expect(POSTGRES_URL).toBeDefined();
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(
      '\n\n*** SKIPPED: PostgresServerProvisioner tests need ASTRO_TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432) ***\n\n',
    );
  }
}

interface LogEntry {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta: unknown;
}

/** A logger that keeps every entry, its children's included. */
function capturingLogger(
  entries: LogEntry[],
  base: JsonObject = {},
): LoggerService {
  const log =
    (level: LogEntry['level']) =>
    (message: string, meta?: Error | JsonObject) =>
      entries.push({ level, message, meta: { ...base, ...meta } });
  return {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: meta => capturingLogger(entries, { ...base, ...meta }),
  };
}

const RUN = `${Date.now().toString(36)}${Math.floor(
  Math.random() * 1e6,
).toString(36)}`;
/** Every database and role of this run starts with it; cleanup drops them all. */
const PREFIX = `t${RUN}_`;

function password(label: string) {
  return `Pw-${label}-${RUN}-${Math.random().toString(36).slice(2)}'"\\;`;
}

const describeWithPostgres = POSTGRES_URL ? describe : describe.skip;

describeWithPostgres('PostgresServerProvisioner on a real PostgreSQL', () => {
  const logs: LogEntry[] = [];
  // Created in beforeAll: a skipped describe still runs its body.
  let admin: Client;
  let provisioner: PostgresServerProvisioner;
  const passwords: string[] = [];
  const clients: Client[] = [];

  function deployment(label: string) {
    const secret = password(label);
    passwords.push(secret);
    return {
      deploymentId: `dep-${label}-${RUN}`,
      name: `it-${label}`,
      password: secret,
    };
  }

  async function connectAs(connection: {
    host: string;
    port: number;
    user: string;
    password: string;
    database: string;
  }) {
    const client = new Client(connection);
    client.on('error', () => {});
    clients.push(client);
    await client.connect();
    return client;
  }

  async function exists(catalog: 'pg_database' | 'pg_roles', name: string) {
    const column = catalog === 'pg_database' ? 'datname' : 'rolname';
    const { rowCount } = await admin.query(
      `SELECT 1 FROM ${catalog} WHERE ${column} = $1`,
      [name],
    );
    return rowCount === 1;
  }

  beforeAll(async () => {
    admin = new Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    provisioner = PostgresServerProvisioner.create({
      admin: POSTGRES_URL!,
      namePrefix: PREFIX,
      logger: capturingLogger(logs),
    });
  });

  afterAll(async () => {
    await Promise.all(clients.map(c => c.end().catch(() => {})));
    const like = `${PREFIX.replace(/_/g, '\\_')}%`;
    const { rows: dbs } = await admin.query(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [like],
    );
    for (const { datname } of dbs) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    const { rows: roles } = await admin.query(
      'SELECT rolname FROM pg_roles WHERE rolname LIKE $1 ORDER BY rolname DESC',
      [like],
    );
    for (const { rolname } of roles) {
      await admin.query(`DROP ROLE IF EXISTS "${rolname}"`);
    }
    await admin.end();
  });

  it('creates a database owned by a login role that only it may connect to', async () => {
    const request = deployment('create');
    const connection = await provisioner.ensure(request);
    const names = metadataDatabaseNames(request, PREFIX);
    expect(connection).toEqual({
      host: '127.0.0.1',
      port: 5432,
      database: names.database,
      user: names.role,
      password: request.password,
    });
    const { rows } = await admin.query(
      `SELECT r.rolcanlogin, r.rolsuper, r.rolcreatedb, r.rolcreaterole,
              pg_get_userbyid(d.datdba) AS owner,
              has_database_privilege('public', d.datname, 'CONNECT') AS public_connect
         FROM pg_roles r, pg_database d
        WHERE r.rolname = $1 AND d.datname = $2`,
      [connection.user, connection.database],
    );
    expect(rows).toEqual([
      {
        rolcanlogin: true,
        rolsuper: false,
        rolcreatedb: false,
        rolcreaterole: false,
        owner: connection.user,
        public_connect: false,
      },
    ]);
  });

  it('stores exactly the given password, which the role logs in with to create tables', async () => {
    const request = deployment('login');
    const connection = await provisioner.ensure(request);
    const { rows } = await admin.query(
      'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
      [connection.user],
    );
    // The server may trust local connections, so check the stored verifier too.
    expect(scramVerifierMatches(rows[0].rolpassword, request.password)).toBe(
      true,
    );
    expect(scramVerifierMatches(rows[0].rolpassword, 'wrong')).toBe(false);

    const client = await connectAs(connection);
    await client.query(
      'CREATE TABLE dag_run (id serial PRIMARY KEY, dag_id text)',
    );
    await client.query("INSERT INTO dag_run (dag_id) VALUES ('etl')");
    const { rows: runs } = await client.query('SELECT dag_id FROM dag_run');
    expect(runs).toEqual([{ dag_id: 'etl' }]);
    const { rows: who } = await client.query(
      'SELECT current_user AS user, current_database() AS db',
    );
    expect(who).toEqual([{ user: connection.user, db: connection.database }]);
  });

  it('is idempotent and re-sets the password on a second ensure', async () => {
    const request = deployment('twice');
    const first = await provisioner.ensure(request);
    const client = await connectAs(first);
    await client.query('CREATE TABLE kept (id int)');

    const again = await provisioner.ensure(request);
    expect(again).toEqual(first);
    const rotated = { ...request, password: password('rotated') };
    passwords.push(rotated.password);
    const third = await provisioner.ensure(rotated);
    expect(third.password).toBe(rotated.password);

    const { rows } = await admin.query(
      'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
      [first.user],
    );
    expect(scramVerifierMatches(rows[0].rolpassword, rotated.password)).toBe(
      true,
    );
    // The data survives.
    const reconnected = await connectAs(third);
    const { rowCount } = await reconnected.query('SELECT * FROM kept');
    expect(rowCount).toBe(0);
  });

  it("keeps another deployment's role out of the database", async () => {
    const a = await provisioner.ensure(deployment('tenant-a'));
    const b = await provisioner.ensure(deployment('tenant-b'));
    await expect(
      connectAs({ ...b, database: a.database }),
    ).rejects.toMatchObject({
      code: '42501', // insufficient_privilege: permission denied for database
    });
  });

  it('drops database and role, even with open connections, and drops idempotently', async () => {
    const request = deployment('drop');
    const connection = await provisioner.ensure(request);
    const open = await connectAs(connection);
    await open.query('SELECT 1');

    await provisioner.drop(request);
    expect(await exists('pg_database', connection.database)).toBe(false);
    expect(await exists('pg_roles', connection.user)).toBe(false);
    await expect(open.query('SELECT 1')).rejects.toThrow();

    await expect(provisioner.drop(request)).resolves.toBeUndefined();
    await expect(
      provisioner.drop({ deploymentId: `never-${RUN}`, name: 'never' }),
    ).resolves.toBeUndefined();
  });

  it('works with an administrator that has CREATEDB and CREATEROLE but is no superuser', async () => {
    const adminRole = `${PREFIX}admin`;
    await admin.query(
      `CREATE ROLE "${adminRole}" WITH LOGIN CREATEDB CREATEROLE`,
    );
    const url = new URL(POSTGRES_URL!);
    const limited = PostgresServerProvisioner.create({
      admin: {
        host: url.hostname,
        port: Number(url.port || 5432),
        user: adminRole,
        database: 'postgres',
      },
      namePrefix: PREFIX,
      connectionLimit: 20,
      logger: capturingLogger(logs),
    });
    const request = deployment('limited');
    const connection = await limited.ensure(request);
    const client = await connectAs(connection);
    await client.query('CREATE TABLE t (id int)');
    await client.end();
    const { rows } = await admin.query(
      'SELECT rolconnlimit FROM pg_roles WHERE rolname = $1',
      [connection.user],
    );
    expect(rows).toEqual([{ rolconnlimit: 20 }]);

    await limited.drop(request);
    expect(await exists('pg_database', connection.database)).toBe(false);
    expect(await exists('pg_roles', connection.user)).toBe(false);
  });

  it('refuses passwords it cannot set safely, without echoing them', async () => {
    const request = { ...deployment('unicode'), password: 'pässwörd-ünïcode' };
    const error = await provisioner.ensure(request).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).not.toContain(request.password);
  });

  it('does not echo the password when the server cannot be reached', async () => {
    const request = deployment('unreachable');
    const unreachable = PostgresServerProvisioner.create({
      admin: 'postgresql://postgres@127.0.0.1:1/postgres',
      logger: capturingLogger(logs),
    });
    const error = await unreachable.ensure(request).catch(e => e);
    expect(String(error)).toContain(request.deploymentId);
    expect(String(error)).not.toContain(request.password);
  });

  it('never logs a password, and role names at debug level only', () => {
    expect(logs.filter(e => e.level === 'info').length).toBeGreaterThan(0);
    const text = (e: LogEntry) => `${e.message} ${JSON.stringify(e.meta)}`;
    for (const secret of passwords) {
      expect(logs.filter(e => text(e).includes(secret))).toEqual([]);
    }
    const roles = passwords.length
      ? logs.flatMap(e =>
          e.level === 'debug' && typeof (e.meta as JsonObject).role === 'string'
            ? [(e.meta as JsonObject).role as string]
            : [],
        )
      : [];
    expect(roles.length).toBeGreaterThan(0);
    const nonDebug = logs.filter(e => e.level !== 'debug').map(text);
    expect(
      nonDebug.filter(line => roles.some(role => line.includes(role))),
    ).toEqual([]);
    expect(nonDebug.filter(line => line.includes(PREFIX))).toEqual([]);
  });
});
