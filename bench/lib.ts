/*
 * What the benchmarks share: a logger that stays quiet, command-line
 * options, and the database they run on.
 */
import knexFactory, { Knex } from 'knex';
import { LoggerService } from '@backstage/backend-plugin-api';

/** A logger that prints nothing, so the output is the measurements. */
export const silentLogger: LoggerService = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => silentLogger,
};

/** The value of `--<name> <value>` on the command line. */
export function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

/** A database to run on. */
export interface BenchDatabase {
  knex: Knex;
  label: string;
  /** The PostgreSQL database created for the run; drop it afterwards. */
  created?: string;
}

/**
 * SQLite in memory, or a fresh database on the PostgreSQL server of
 * `ASTRO_BENCH_POSTGRES_URL` when it is set.
 */
export async function benchDatabase(prefix: string): Promise<BenchDatabase> {
  const url = process.env.ASTRO_BENCH_POSTGRES_URL;
  if (url) {
    const name = `${prefix}_${Date.now()}`;
    const admin = knexFactory({ client: 'pg', connection: url });
    await admin.raw(`create database ${name}`);
    await admin.destroy();
    const target = new URL(url);
    target.pathname = `/${name}`;
    return {
      knex: knexFactory({ client: 'pg', connection: target.toString() }),
      label: 'PostgreSQL',
      created: name,
    };
  }
  return {
    knex: knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    }),
    label: 'SQLite (memory)',
  };
}

/** Drops the PostgreSQL database {@link benchDatabase} created, if any. */
export async function dropBenchDatabase(created: string | undefined) {
  const url = process.env.ASTRO_BENCH_POSTGRES_URL;
  if (url && created) {
    const admin = knexFactory({ client: 'pg', connection: url });
    await admin.raw(`drop database if exists ${created}`);
    await admin.destroy();
  }
}
