import { gzipSync } from 'node:zlib';
import { makeBundle } from '../__testUtils__/bundles';
import {
  BundleArchiveError,
  readBundleArchive,
  visibleFiles,
} from './bundleArchive';

describe('reading a DAG bundle in memory', () => {
  it('reads files, directories and long names (pax headers)', async () => {
    const long = `dags/${'deeply_nested/'.repeat(30)}dag.py`;
    const bundle = readBundleArchive(
      await makeBundle({
        './': { type: 'directory' },
        'dags/': { type: 'directory' },
        './dags/etl.py': 'print("etl")',
        [long]: 'long',
        'empty.txt': '',
        'ünïcödé.py': 'unicode',
      }),
    );
    expect([...bundle.files.keys()]).toEqual([
      'dags/etl.py',
      long,
      'empty.txt',
      'ünïcödé.py',
    ]);
    expect(bundle.files.get('dags/etl.py')!.toString()).toBe('print("etl")');
    expect(bundle.files.get(long)!.toString()).toBe('long');
    expect(bundle.directories).toContain('dags');
    expect(bundle.totalBytes).toBe(12 + 4 + 0 + 7);
  });

  it('reads a GNU-format archive made by GNU tar (long names, symbolic links)', () => {
    // tar --format=gnu -czf - dags, with a 138-character path and a link to it.
    const gnu = Buffer.from(
      'H4sIAAAAAAAAA+3WTWuDMBwGcM/9FKGn7aIxJnrtYLCL30HCtCJTU2K60W+/6K2TuhdI6vD5gUSNYEjyf0gp6yEK3KJWJsTUWl/b6T7mgnNOKRvfx5SnSUCE43FNzoORmpBAK2WWvvuu/58KozA65Kqv86Z/c/SPcYFTzm+uP6P8ai/QOBZZFpDc0XiubHz9y7H+3yt9KVq7CYqy0dWrUfaxl11V+OhwnT6wxMf6/zr/E54w5L8Xq8j/eJb/qW2Q/x6sIP9l28ghPF3uPRWb5C3/7YHu5/kveGrrn1Wmdb4vNl7/68h/Nj//p8h/H1aQ/z6qHG7wlf9L9U95Mj//s4BQHxOw8fo/atUR2ehjqz5I052UNuT56WVnr4d93Z/3j7t7DxEAAAAAAAAAAAD+6BMNqW8SACgAAA==',
      'base64',
    );
    const dir = `dags/${'very_long_directory_name_'.repeat(5)}`;
    const visible = visibleFiles(readBundleArchive(gnu));
    expect([...visible.keys()]).toEqual([`${dir}/alias.py`, `${dir}/etl.py`]);
    expect(visible.get(`${dir}/alias.py`)!.toString()).toBe(
      'from airflow import DAG\nDAG("gnu")\n',
    );
  });

  it('follows links that stay inside the bundle', async () => {
    const bundle = readBundleArchive(
      await makeBundle({
        'lib/common.py': 'shared',
        'dags/alias.py': { type: 'symlink', linkname: '../lib/common.py' },
        'dags/copy.py': { type: 'link', linkname: 'lib/common.py' },
        'dags/dangling.py': { type: 'symlink', linkname: 'missing.py' },
        'dags/libdir': { type: 'symlink', linkname: '../lib' },
      }),
    );
    const visible = visibleFiles(bundle);
    expect([...visible.keys()]).toEqual([
      'dags/alias.py',
      'dags/copy.py',
      'lib/common.py',
    ]);
    expect(visible.get('dags/alias.py')!.toString()).toBe('shared');
    expect(visible.get('dags/copy.py')!.toString()).toBe('shared');
  });

  it.each([
    [
      'an absolute member name',
      { '/etc/cron.d/evil': 'x' },
      'refused member "/etc/cron.d/evil": absolute paths are not allowed',
    ],
    [
      'a member outside the bundle',
      { 'dags/../../evil.py': 'x' },
      'refused member "dags/../../evil.py": it would be written outside the bundle',
    ],
    [
      'a symbolic link to an absolute path',
      { 'dags/passwd': { type: 'symlink', linkname: '/etc/passwd' } },
      'refused link "dags/passwd": its target "/etc/passwd" is absolute',
    ],
    [
      'a symbolic link out of the bundle',
      { 'dags/up': { type: 'symlink', linkname: '../../etc' } },
      'refused link "dags/up": its target "../../etc" is outside the bundle',
    ],
    [
      'a hard link to something outside the bundle',
      { 'a.py': 'x', 'b.py': { type: 'link', linkname: '../a.py' } },
      'refused link "b.py": its target "../a.py" is outside the bundle',
    ],
    [
      'a hard link to no member',
      { 'b.py': { type: 'link', linkname: 'a.py' } },
      'refused link "b.py": its target "a.py" is not a file of the bundle',
    ],
    [
      'a character device',
      { 'dev/null': { type: 'character-device', devmajor: 1, devminor: 3 } },
      'refused member "dev/null": a character device is not allowed',
    ],
    [
      'a block device',
      { sda: { type: 'block-device', devmajor: 8, devminor: 0 } },
      'refused member "sda": a block device is not allowed',
    ],
    [
      'a FIFO',
      { pipe: { type: 'fifo' } },
      'refused member "pipe": a FIFO is not allowed',
    ],
  ] as const)('refuses %s', async (_what, entries, message) => {
    const archive = await makeBundle(entries as any);
    expect(() => readBundleArchive(archive)).toThrow(
      new BundleArchiveError(message),
    );
  });

  it('refuses what is not a .tar.gz', async () => {
    expect(() => readBundleArchive(Buffer.from('not gzip'))).toThrow(
      /^the bundle is not a valid gzip stream/,
    );
    expect(() => readBundleArchive(gzipSync(Buffer.alloc(512, 'x')))).toThrow(
      /bad header checksum/,
    );
    const tar = (await import('node:zlib')).gunzipSync(
      await makeBundle({ 'a.py': 'x'.repeat(2000) }),
    );
    expect(() => readBundleArchive(gzipSync(tar.subarray(0, 1024)))).toThrow(
      'the bundle is truncated',
    );
  });

  it('refuses a bundle larger than the limit once uncompressed', async () => {
    const archive = await makeBundle({ 'big.bin': Buffer.alloc(200_000) });
    expect(archive.length).toBeLessThan(10_000);
    expect(() => readBundleArchive(archive, { maxBytes: 100_000 })).toThrow(
      'the bundle is larger than 100000 bytes uncompressed',
    );
    expect(readBundleArchive(archive, { maxBytes: 300_000 }).totalBytes).toBe(
      200_000,
    );
  });
});
