import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { parse } from 'yaml';
import { suggestKey, validateAstroConfig } from './validateAstroConfig';

function problemsOf(astro: unknown): string {
  try {
    validateAstroConfig(new ConfigReader({ astro } as any));
  } catch (error) {
    return (error as Error).message;
  }
  return 'valid';
}

describe('validateAstroConfig', () => {
  it('accepts a complete, correct configuration, with values from env as strings', () => {
    expect(
      problemsOf({
        secrets: { encryptionKey: 'k' },
        reconciler: {
          concurrency: '8',
          enabled: 'true',
          schedule: { frequency: { cron: '* * * * *' }, timeout: 'PT5M' },
        },
        clusters: [
          {
            name: 'a',
            url: 'https://10.0.0.1:6443',
            serviceAccountToken: 't',
            caData: 'Y2E=',
          },
          { name: 'b', kubeconfig: { path: '/k', context: 'c' } },
          { name: 'c', inCluster: true },
        ],
        metadataDatabase: {
          postgres: { connection: 'postgresql://u:p@db:5432/postgres' },
        },
        simulator: { port: 7100 },
      }),
    ).toBe('valid');
  });

  it('names an unknown key and the key it probably meant', () => {
    expect(
      problemsOf({
        clusters: [
          { name: 'a', inCluster: true },
          { name: 'b', url: 'https://h', tokn: 'secret-value' },
        ],
      }),
    ).toBe(
      'Invalid configuration: astro.clusters[1].tokn is not a known key; did you mean serviceAccountToken?; ' +
        'astro.clusters[1].serviceAccountToken is missing: a cluster with url needs serviceAccountToken (or use kubeconfig or inCluster)',
    );
    expect(problemsOf({ reconciler: { concurency: 2 } })).toBe(
      'Invalid configuration: astro.reconciler.concurency is not a known key; did you mean concurrency?',
    );
    expect(problemsOf({ nonsense: true })).toBe(
      'Invalid configuration: astro.nonsense is not a known key',
    );
  });

  it('refuses malformed URLs and missing values without echoing them', () => {
    const message = problemsOf({
      clusters: [
        { name: 'a', url: 'not a url with-secret', serviceAccountToken: 't' },
        { url: 'https://h', serviceAccountToken: 't' },
      ],
      metadataDatabase: {
        postgres: { connection: 'mysql://root:hunter2@db' },
      },
      deploys: { bundleBaseUrl: 'ftp://x' },
    });
    expect(message).toContain(
      'astro.clusters[0].url is not an http(s) URL, e.g. https://10.0.0.1:6443',
    );
    expect(message).toContain('astro.clusters[1].name is missing');
    expect(message).toContain(
      'astro.metadataDatabase.postgres.connection is not a postgresql:// connection string',
    );
    expect(message).toContain(
      'astro.deploys.bundleBaseUrl is not an http(s) URL',
    );
    expect(message).not.toMatch(/hunter2|with-secret/);
  });

  it('checks the alternative a value was meant as', () => {
    expect(
      problemsOf({
        metadataDatabase: {
          postgres: { connection: { host: 'db', usr: 'u' } },
        },
      }),
    ).toBe(
      'Invalid configuration: astro.metadataDatabase.postgres.connection.user is missing; astro.metadataDatabase.postgres.connection.usr is not a known key; did you mean user?',
    );
  });

  it('suggests only keys that are close', () => {
    expect(
      suggestKey('serviceAccountTokn', ['serviceAccountToken', 'url']),
    ).toBe('serviceAccountToken');
    expect(suggestKey('colour', ['url', 'name'])).toBeUndefined();
  });

  it("accepts the repository's own app config", () => {
    const root = path.resolve(__dirname, '../../../..');
    for (const file of ['app-config.yaml', 'app-config.production.yaml']) {
      const data = parse(fs.readFileSync(path.join(root, file), 'utf8')) ?? {};
      expect([file, problemsOf(data.astro ?? {})]).toEqual([file, 'valid']);
    }
  });
});
