import { gzipSync } from 'node:zlib';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_BUNDLE_LIMITS,
  bundleVersionOf,
  inspectBundle,
} from './inspectBundle';
import {
  dagsBundle,
  gzipBomb,
  makeBundle,
  makeTar,
  manyEntries,
} from './__testUtils__/bundles';

const limits = DEFAULT_BUNDLE_LIMITS;

async function refusal(
  bundle:
    | Promise<{ bytes: Buffer; checksum: string }>
    | { bytes: Buffer; checksum: string },
  options: { checksum?: string; limits?: typeof limits } = {},
) {
  const { bytes, checksum } = await bundle;
  const error = await inspectBundle(
    bytes,
    options.checksum ?? checksum,
    options.limits ?? limits,
  ).then(
    () => undefined,
    e => e as Error,
  );
  expect(error).toBeDefined();
  return error!;
}

describe('inspectBundle', () => {
  it('accepts a bundle of files and folders and counts its regular files', async () => {
    const { bytes, checksum } = await dagsBundle();
    await expect(inspectBundle(bytes, checksum, limits)).resolves.toEqual({
      version: checksum,
      size: bytes.length,
      files: 3,
    });
  });

  it('accepts ./-prefixed paths as tar writes them for "tar -C dags ."', async () => {
    const { bytes, checksum } = await makeBundle([
      { name: './', type: 'directory' },
      { name: './etl.py', content: 'x' },
    ]);
    await expect(inspectBundle(bytes, checksum, limits)).resolves.toMatchObject(
      { files: 1 },
    );
  });

  it('refuses a checksum that does not match the bytes', async () => {
    const error = await refusal(dagsBundle(), {
      checksum: `sha256:${'0'.repeat(64)}`,
    });
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^checksum: .* does not match the body/);
  });

  it('refuses a bundle without a checksum', async () => {
    const { bytes } = await dagsBundle();
    await expect(inspectBundle(bytes, undefined, limits)).rejects.toThrow(
      /^checksum: is required/,
    );
  });

  it('refuses a bundle over the size limit with a 413 naming the limit', async () => {
    const error = await refusal(dagsBundle(), {
      limits: { ...limits, maxBytes: 100 },
    });
    expect(error.name).toBe('PayloadTooLargeError');
    expect((error as unknown as { statusCode: number }).statusCode).toBe(413);
    expect(error.message).toContain('limit of 100 bytes');
    expect(error.message).toContain('astro.deploys.maxBundleBytes');
  });

  it.each([
    ['a parent path', '../evil.py', /leaves the DAGs folder/],
    ['a nested parent path', 'dags/../../evil.py', /leaves the DAGs folder/],
    ['an absolute path', '/etc/cron.d/evil', /absolute path/],
    ['a backslash path', 'dags\\..\\evil.py', /backslash/],
  ])('refuses %s, naming the entry', async (_what, name, problem) => {
    const error = await refusal(
      makeBundle([
        { name: 'ok.py', content: 'x' },
        { name, content: 'x' },
      ]),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(problem);
    expect(error.message).toContain(JSON.stringify(name));
  });

  it.each([
    ['a symlink out of the tree', 'symlink', '../../etc/passwd'],
    ['a symlink inside the tree', 'symlink', 'dags/etl.py'],
    ['a hard link', 'link', 'dags/etl.py'],
  ] as const)('refuses %s', async (_what, type, linkname) => {
    const error = await refusal(
      makeBundle([
        { name: 'dags/etl.py', content: 'x' },
        { name: 'dags/link.py', type, linkname },
      ]),
    );
    expect(error.message).toContain('"dags/link.py"');
    expect(error.message).toMatch(/link/);
  });

  it.each([
    ['character-device', /device/],
    ['block-device', /device/],
    ['fifo', /named pipe/],
  ] as const)('refuses a %s entry', async (type, problem) => {
    const error = await refusal(makeBundle([{ name: 'dags/dev', type }]));
    expect(error.message).toMatch(problem);
  });

  it('refuses gzip that holds no tar archive', async () => {
    const bytes = gzipSync(Buffer.from('print("not a tar")\n'.repeat(100)));
    const error = await refusal({ bytes, checksum: bundleVersionOf(bytes) });
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^body: is not a tar archive/);
  });

  it('refuses a body that is not gzip', async () => {
    const bytes = await makeTar([{ name: 'a.py', content: 'x' }]);
    const error = await refusal({ bytes, checksum: bundleVersionOf(bytes) });
    expect(error.message).toMatch(/^body: is not gzip-compressed/);
  });

  it('refuses a truncated gzip stream', async () => {
    const { bytes: full } = await dagsBundle();
    const bytes = full.subarray(0, full.length - 20);
    const error = await refusal({ bytes, checksum: bundleVersionOf(bytes) });
    expect(error).toBeInstanceOf(InputError);
  });

  it('stops inflating a gzip bomb at the expansion limit', async () => {
    const bomb = gzipBomb(64 * 1024 * 1024);
    expect(bomb.bytes.length).toBeLessThan(200 * 1024);
    const started = Date.now();
    const error = await refusal(bomb, {
      limits: { ...limits, maxExpandedBytes: 4 * 1024 * 1024 },
    });
    expect(error.message).toContain('expands to more than 4 MiB');
    expect(error.message).toContain('astro.deploys.maxBundleExpandedBytes');
    // Inflating all of it would take far longer than inflating 4 MiB.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses an archive of 10,000 entries', async () => {
    const error = await refusal(manyEntries(10_000));
    expect(error.message).toContain('more than 5000 entries');
    expect(error.message).toContain('astro.deploys.maxBundleEntries');
  });
});
