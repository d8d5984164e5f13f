import {
  constantTimeEquals,
  hashSecret,
  newTokenValue,
  parseTokenValue,
  secretMatches,
} from './tokenValues';

describe('API token values', () => {
  const id = '2f9c1a7e-5b8d-4e36-9a01-77c4d2b8e6f3';

  it('are astro_<32 hex id>_<secret> and parse back to their id and secret', () => {
    const token = newTokenValue(id);
    expect(token.value).toMatch(
      /^astro_2f9c1a7e5b8d4e369a0177c4d2b8e6f3_[A-Za-z0-9_-]{43}$/,
    );
    expect(parseTokenValue(token.value)).toEqual(token);
  });

  it('have a fresh secret each time', () => {
    expect(newTokenValue(id).secret).not.toBe(newTokenValue(id).secret);
  });

  it.each([
    'astro_',
    'astro_2f9c1a7e_secret-secret-secret',
    `astro_${'g'.repeat(32)}_${'a'.repeat(43)}`,
    `Astro_${'a'.repeat(32)}_${'a'.repeat(43)}`,
    `astro_${'a'.repeat(32)}_short`,
    `astro_${'a'.repeat(32)}_${'a'.repeat(43)} `,
  ])('refuse the malformed value %j', value => {
    expect(parseTokenValue(value)).toBeUndefined();
  });

  it('are checked against the SHA-256 of their secret only', () => {
    const { secret } = newTokenValue(id);
    const stored = hashSecret(secret);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(secret);
    expect(secretMatches(secret, stored)).toBe(true);
    expect(secretMatches(`${secret}x`, stored)).toBe(false);
    expect(secretMatches(secret, 'abc')).toBe(false);
  });

  it('compares strings of any length in constant time', () => {
    expect(constantTimeEquals('a', 'a')).toBe(true);
    expect(constantTimeEquals('a', 'ab')).toBe(false);
  });
});
