import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const FORMAT = 'v1';

/**
 * Encrypts secret values at rest with AES-256-GCM. Ciphertexts carry their
 * format version, IV and authentication tag: `v1:<iv>:<tag>:<data>`, each
 * base64.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /**
   * Reads `astro.secrets.encryptionKey`. Outside production a missing key is
   * replaced by a random one for this process, with a warning: values
   * encrypted with it cannot be read after a restart.
   */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService; production: boolean },
  ): SecretBox {
    const encoded = config.getOptionalString('astro.secrets.encryptionKey');
    if (encoded) {
      return SecretBox.fromBase64Key(encoded);
    }
    if (options.production) {
      throw new Error(
        'astro.secrets.encryptionKey must be set in production: 32 random bytes, base64 encoded',
      );
    }
    options.logger.warn(
      'astro.secrets.encryptionKey is not set; using a key generated for this process. ' +
        'Secret values stored now cannot be decrypted after a restart. ' +
        'Set a key (32 bytes, base64) for any database that outlives the process.',
    );
    return new SecretBox(randomBytes(KEY_BYTES));
  }

  /** A box with the given key (32 bytes, base64). */
  static fromBase64Key(encoded: string): SecretBox {
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES) {
      throw new Error(
        `astro.secrets.encryptionKey must decode to ${KEY_BYTES} bytes, got ${key.length}`,
      );
    }
    return new SecretBox(key);
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv);
    const data = Buffer.concat([
      cipher.update(plaintext, 'utf8'),
      cipher.final(),
    ]);
    const tag = cipher.getAuthTag();
    return [FORMAT, iv, tag, data]
      .map(part => (typeof part === 'string' ? part : part.toString('base64')))
      .join(':');
  }

  decrypt(ciphertext: string): string {
    const [format, iv, tag, data] = ciphertext.split(':');
    if (format !== FORMAT || !iv || !tag || data === undefined) {
      throw new Error('Unsupported secret format');
    }
    const decipher = createDecipheriv(
      ALGORITHM,
      this.key,
      Buffer.from(iv, 'base64'),
    );
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([
      decipher.update(Buffer.from(data, 'base64')),
      decipher.final(),
    ]).toString('utf8');
  }
}
