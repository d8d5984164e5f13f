import {
  ChecksumUnavailableError,
  bundleChecksum,
  currentDeployId,
  deployAuthor,
  formatBytes,
  isGzip,
  rollbackBlocker,
  shortVersion,
} from './model';
import { apiToken, deploy, deployment } from '../../__testUtils__/fixtures';

describe('deploy helpers', () => {
  // The backend compares this with its own SHA-256 of the body: one wrong
  // byte of formatting and every upload is refused.
  it('computes the checksum the API expects', async () => {
    const bytes = new TextEncoder().encode('test');
    await expect(bundleChecksum(bytes.buffer as ArrayBuffer)).resolves.toBe(
      'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    );
  });

  it('says why when the page has no Web Crypto (plain HTTP)', async () => {
    const subtle = Object.getOwnPropertyDescriptor(globalThis.crypto, 'subtle');
    Object.defineProperty(globalThis.crypto, 'subtle', {
      value: undefined,
      configurable: true,
    });
    try {
      await expect(bundleChecksum(new ArrayBuffer(1))).rejects.toBeInstanceOf(
        ChecksumUnavailableError,
      );
    } finally {
      Object.defineProperty(globalThis.crypto, 'subtle', subtle!);
    }
  });

  it('recognises gzip by its magic number', () => {
    expect(isGzip(new Uint8Array([0x1f, 0x8b, 8]).buffer)).toBe(true);
    expect(isGzip(new TextEncoder().encode('PK').buffer as ArrayBuffer)).toBe(
      false,
    );
    expect(isGzip(new ArrayBuffer(1))).toBe(false);
  });

  it('shortens versions and sizes for people', () => {
    expect(shortVersion(`sha256:${'0123456789abcdef'.repeat(4)}`)).toBe(
      'sha256:0123456789ab',
    );
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(20480)).toBe('20.0 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MiB');
  });

  it('names users and tokens', () => {
    const token = apiToken();
    const tokens = new Map([[token.id, token]]);
    expect(deployAuthor('user:default/alice', tokens)).toEqual({
      label: 'alice',
      token: false,
    });
    expect(deployAuthor(`token:${token.id}`, tokens).label).toBe(
      'API token github-actions',
    );
    expect(deployAuthor(`token:${token.id}`, new Map()).label).toBe(
      'API token 2f9c1a7e',
    );
  });

  it('takes the newest deploy that succeeded as what runs now', () => {
    expect(
      currentDeployId([
        deploy({ id: 'c', status: 'INITIALIZED' }),
        deploy({ id: 'b', status: 'FAILED' }),
        deploy({ id: 'a' }),
      ]),
    ).toBe('a');
    expect(currentDeployId([])).toBeUndefined();
  });

  // What the backend is known to refuse is not offered in the first place.
  it('says why a deploy cannot be rolled back to', () => {
    const plain = deployment();
    const enforced = deployment({
      settings: { ...plain.settings, isCicdEnforced: true },
    });
    const fromGit = deployment({
      settings: {
        ...plain.settings,
        gitDagBundle: {
          repositoryUrl: 'https://github.com/acme/dags.git',
          ref: 'main',
          subdirectory: '',
        },
      },
    });
    const dags = deploy();
    const image = deploy({ type: 'IMAGE', bundle: undefined });
    expect(rollbackBlocker(plain, dags, false)).toBeUndefined();
    expect(rollbackBlocker(plain, dags, true)).toBe('Runs now');
    expect(rollbackBlocker(plain, deploy({ status: 'FAILED' }), false)).toMatch(
      /Failed/,
    );
    expect(rollbackBlocker(enforced, dags, false)).toMatch(/CI\/CD only/);
    expect(rollbackBlocker(fromGit, dags, false)).toMatch(/from Git/);
    expect(rollbackBlocker(fromGit, image, false)).toBeUndefined();
  });
});
