import { randomBytes } from 'node:crypto';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { SecretBox } from './SecretBox';

describe('SecretBox', () => {
  const key = randomBytes(32).toString('base64');

  it('round-trips values without leaving the plaintext in the ciphertext', () => {
    const box = SecretBox.fromBase64Key(key);
    const ciphertext = box.encrypt('s3cr3t-value');
    expect(ciphertext).not.toContain('s3cr3t');
    expect(ciphertext.startsWith('v1:')).toBe(true);
    expect(box.decrypt(ciphertext)).toBe('s3cr3t-value');
  });

  it('uses a fresh IV each time', () => {
    const box = SecretBox.fromBase64Key(key);
    expect(box.encrypt('x')).not.toBe(box.encrypt('x'));
  });

  it('rejects tampered ciphertexts and other keys', () => {
    const box = SecretBox.fromBase64Key(key);
    const [format, iv, tag, data] = box.encrypt('value').split(':');
    const flipped = Buffer.from(data, 'base64');
    flipped[0] ^= 1;
    expect(() =>
      box.decrypt([format, iv, tag, flipped.toString('base64')].join(':')),
    ).toThrow();
    const other = SecretBox.fromBase64Key(randomBytes(32).toString('base64'));
    expect(() => other.decrypt(box.encrypt('value'))).toThrow();
  });

  it('requires a key of 32 bytes', () => {
    expect(() => SecretBox.fromBase64Key('c2hvcnQ=')).toThrow(/32 bytes/);
  });

  it('requires a configured key in production', () => {
    expect(() =>
      SecretBox.fromConfig(new ConfigReader({}), {
        logger: mockServices.logger.mock(),
        production: true,
      }),
    ).toThrow(/must be set in production/);
  });

  it('generates a key with a warning outside production', () => {
    const logger = mockServices.logger.mock();
    const box = SecretBox.fromConfig(new ConfigReader({}), {
      logger,
      production: false,
    });
    expect(box.decrypt(box.encrypt('v'))).toBe('v');
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('astro.secrets.encryptionKey is not set'),
    );
  });
});
