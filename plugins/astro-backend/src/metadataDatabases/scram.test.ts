import { scramSha256Verifier, scramVerifierMatches } from './scram';

describe('scramSha256Verifier', () => {
  it('computes the verifier PostgreSQL computes for the same salt', () => {
    // What PostgreSQL 15 stored in pg_authid for `CREATE ROLE … PASSWORD 'secret'`.
    const stored =
      'SCRAM-SHA-256$4096:A660qAoMqzeZ3Gu5+Pd7uw==$/JsAnTi26Bcex5pmBljcUXgsugaiv2sYRF73mV2xOJA=:0Dg3qy8eylAEwof2VlusWJbExRaC0ksmgq7ADAzCFn8=';
    expect(
      scramSha256Verifier('secret', {
        salt: Buffer.from('A660qAoMqzeZ3Gu5+Pd7uw==', 'base64'),
        iterations: 4096,
      }),
    ).toBe(stored);
    expect(scramVerifierMatches(stored, 'secret')).toBe(true);
    expect(scramVerifierMatches(stored, 'Secret')).toBe(false);
  });

  it('salts each verifier afresh', () => {
    expect(scramSha256Verifier('secret')).not.toBe(
      scramSha256Verifier('secret'),
    );
    expect(scramVerifierMatches(scramSha256Verifier('secret'), 'secret')).toBe(
      true,
    );
  });

  it('rejects what is not a verifier', () => {
    expect(scramVerifierMatches('md5abc', 'secret')).toBe(false);
  });
});
