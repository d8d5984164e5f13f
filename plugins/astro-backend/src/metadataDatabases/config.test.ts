import { ConfigReader } from '@backstage/config';
import { readPostgresServerProvisionerConfig } from './config';

describe('readPostgresServerProvisionerConfig', () => {
  it('returns nothing when no server is configured', () => {
    expect(
      readPostgresServerProvisionerConfig(new ConfigReader({})),
    ).toBeUndefined();
    expect(
      readPostgresServerProvisionerConfig(
        new ConfigReader({ astro: { metadataDatabase: {} } }),
      ),
    ).toBeUndefined();
  });

  it('reads a connection string and the pods’ view of the server', () => {
    const options = readPostgresServerProvisionerConfig(
      new ConfigReader({
        astro: {
          metadataDatabase: {
            postgres: {
              connection: 'postgresql://admin:pw@127.0.0.1:5432/postgres',
              host: 'metadata-db.platform.svc',
              port: 6432,
              sslMode: 'require',
              namePrefix: 'astro_',
              connectionLimit: 50,
            },
          },
        },
      }),
    );
    expect(options).toEqual({
      id: undefined,
      admin: 'postgresql://admin:pw@127.0.0.1:5432/postgres',
      host: 'metadata-db.platform.svc',
      port: 6432,
      sslMode: 'require',
      namePrefix: 'astro_',
      connectionLimit: 50,
    });
  });

  it('reads a connection given as parts', () => {
    const options = readPostgresServerProvisionerConfig(
      new ConfigReader({
        astro: {
          metadataDatabase: {
            postgres: {
              id: 'shared-pg',
              connection: {
                host: 'db',
                user: 'admin',
                password: 'pw',
                ssl: true,
              },
            },
          },
        },
      }),
    );
    expect(options).toEqual(
      expect.objectContaining({
        id: 'shared-pg',
        admin: {
          host: 'db',
          port: undefined,
          user: 'admin',
          password: 'pw',
          database: undefined,
          ssl: true,
        },
      }),
    );
  });

  it('rejects an unknown sslMode', () => {
    expect(() =>
      readPostgresServerProvisionerConfig(
        new ConfigReader({
          astro: {
            metadataDatabase: {
              postgres: {
                connection: 'postgresql://db/postgres',
                sslMode: 'always',
              },
            },
          },
        }),
      ),
    ).toThrow(/sslMode must be one of/);
  });
});
