import { declarationHash } from './declarationHash';

const base = {
  name: 'prod',
  type: 'standard' as const,
  provider: 'aws',
  region: 'eu-west-1',
  driver: 'kubernetes',
  connection: { server: 'https://10.0.0.1:6443', token: 'secret-token' },
};

describe('declarationHash', () => {
  it('is the same for the same declaration in any key order', () => {
    const reordered = {
      connection: { token: 'secret-token', server: 'https://10.0.0.1:6443' },
      driver: 'kubernetes',
      region: 'eu-west-1',
      provider: 'aws',
      type: 'standard' as const,
      name: 'prod',
    };
    expect(declarationHash(reordered)).toBe(declarationHash(base));
  });

  it('differs when anything differs, credentials included, and never contains them', () => {
    const hash = declarationHash(base);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(
      declarationHash({
        ...base,
        connection: { server: base.connection.server },
      }),
    ).not.toBe(hash);
    expect(declarationHash({ ...base, title: 'Production' })).not.toBe(hash);
  });
});
