import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { makeTempDir, writeTree } from '../__testUtils__/files';
import { CliError } from '../lib/errors';
import { packDags } from './packDags';

/** The entries of a .tar.gz: name, type, mode, mtime and content. */
async function entries(bytes: Uint8Array) {
  const result: Array<{
    name: string;
    type: string;
    mode: number;
    mtime: number;
    uid: number;
    content: string;
  }> = [];
  const tar = extract();
  const done = new Promise<void>((resolve, reject) => {
    tar.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        result.push({
          name: header.name,
          type: header.type ?? 'file',
          mode: header.mode ?? 0,
          mtime: header.mtime?.getTime() ?? -1,
          uid: header.uid ?? -1,
          content: Buffer.concat(chunks).toString('utf8'),
        });
        next();
      });
    });
    tar.on('finish', resolve);
    tar.on('error', reject);
  });
  tar.end(gunzipSync(bytes));
  await done;
  return result;
}

const TREE = {
  'dags/etl.py': 'from airflow import DAG\n',
  'dags/b_report.py': 'print("report")\n',
  'dags/include/helpers.py': 'def help(): pass\n',
  'dags/include/sql/query.sql': 'select 1;\n',
  'dags/.airflowignore': 'scratch/\n',
};

describe('packDags', () => {
  let root: string;

  beforeEach(async () => {
    root = await makeTempDir();
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('packs the regular files of dags/ sorted by path, with normalised metadata', async () => {
    await writeTree(root, TREE);
    await fs.chmod(path.join(root, 'dags/b_report.py'), 0o775);
    const bundle = await packDags(path.join(root, 'dags'));

    const listed = await entries(bundle.bytes);
    expect(listed.map(e => e.name)).toEqual([
      '.airflowignore',
      'b_report.py',
      'etl.py',
      'include/helpers.py',
      'include/sql/query.sql',
    ]);
    expect(listed.every(e => e.type === 'file')).toBe(true);
    expect(listed.every(e => e.mtime === 0 && e.uid === 0)).toBe(true);
    expect(listed.find(e => e.name === 'b_report.py')?.mode).toBe(0o755);
    expect(listed.find(e => e.name === 'etl.py')?.mode).toBe(0o644);
    expect(listed.find(e => e.name === 'etl.py')?.content).toBe(
      'from airflow import DAG\n',
    );
    expect(bundle.checksum).toBe(
      `sha256:${createHash('sha256').update(bundle.bytes).digest('hex')}`,
    );
    // A gzip header without a time, written "by Unix".
    expect([...bundle.bytes.subarray(0, 10)]).toEqual([
      0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3,
    ]);
  });

  it('gives the same checksum for the same tree, whenever its files were written', async () => {
    const other = await makeTempDir();
    try {
      await writeTree(root, TREE);
      // The same files written in another order, with other times.
      const reversed = Object.fromEntries(Object.entries(TREE).reverse());
      await writeTree(other, reversed);
      await fs.utimes(
        path.join(other, 'dags/etl.py'),
        new Date('2020-01-01'),
        new Date('2020-01-01'),
      );
      const first = await packDags(path.join(root, 'dags'));
      const again = await packDags(path.join(root, 'dags'));
      const elsewhere = await packDags(path.join(other, 'dags'));
      expect(again.checksum).toBe(first.checksum);
      expect(elsewhere.checksum).toBe(first.checksum);

      await fs.appendFile(path.join(other, 'dags/etl.py'), '# changed\n');
      const changed = await packDags(path.join(other, 'dags'));
      expect(changed.checksum).not.toBe(first.checksum);
    } finally {
      await fs.rm(other, { recursive: true, force: true });
    }
  });

  it('leaves out __pycache__ and .git folders wherever they are', async () => {
    await writeTree(root, {
      'dags/etl.py': 'x\n',
      'dags/__pycache__/etl.cpython-312.pyc': 'bytecode',
      'dags/include/__pycache__/helpers.cpython-312.pyc': 'bytecode',
      'dags/include/helpers.py': 'y\n',
      'dags/.git/HEAD': 'ref: refs/heads/main\n',
    });
    const bundle = await packDags(path.join(root, 'dags'));
    expect(bundle.files.map(f => f.name)).toEqual([
      'etl.py',
      'include/helpers.py',
    ]);
    const withCache = await packDags(path.join(root, 'dags'));
    await fs.rm(path.join(root, 'dags/__pycache__'), { recursive: true });
    const withoutCache = await packDags(path.join(root, 'dags'));
    expect(withoutCache.checksum).toBe(withCache.checksum);
  });

  it('refuses a symbolic link that leaves the DAGs folder', async () => {
    await writeTree(root, {
      'dags/etl.py': 'x\n',
      'secrets/credentials.json': '{"password": "hunter2"}',
    });
    await fs.symlink(
      path.join(root, 'secrets/credentials.json'),
      path.join(root, 'dags/credentials.json'),
    );
    const packing = packDags(path.join(root, 'dags'));
    await expect(packing).rejects.toBeInstanceOf(CliError);
    await expect(packing).rejects.toThrow(
      /dags\/credentials\.json is a symbolic link to .*secrets\/credentials\.json, outside the DAGs folder/,
    );
  });

  it('refuses a relative link to a folder above dags/', async () => {
    await writeTree(root, { 'dags/etl.py': 'x\n', 'other/a.py': 'a\n' });
    await fs.symlink('../other', path.join(root, 'dags/other'));
    await expect(packDags(path.join(root, 'dags'))).rejects.toThrow(
      /dags\/other is a symbolic link to .*, outside the DAGs folder/,
    );
  });

  it('packs the content of links that stay inside the folder, and stops at loops', async () => {
    await writeTree(root, {
      'dags/include/helpers.py': 'def help(): pass\n',
    });
    await fs.symlink(
      'include/helpers.py',
      path.join(root, 'dags/helpers_link.py'),
    );
    await fs.symlink('..', path.join(root, 'dags/include/up'));
    const bundle = await packDags(path.join(root, 'dags'));
    expect(bundle.files.map(f => f.name)).toEqual([
      'helpers_link.py',
      'include/helpers.py',
    ]);
    expect(bundle.skipped).toEqual([
      'dags/include/up (a link to one of its parent folders)',
    ]);
    const listed = await entries(bundle.bytes);
    expect(listed[0]).toMatchObject({
      name: 'helpers_link.py',
      type: 'file',
      content: 'def help(): pass\n',
    });
  });

  it('fails clearly when there is no dags/ folder', async () => {
    await expect(packDags(path.join(root, 'dags'))).rejects.toThrow(
      `There is no DAGs folder at ${path.join(root, 'dags')}`,
    );
  });

  it('packs an empty folder into an empty archive', async () => {
    await fs.mkdir(path.join(root, 'dags'));
    const bundle = await packDags(path.join(root, 'dags'));
    expect(bundle.files).toEqual([]);
    expect(await entries(bundle.bytes)).toEqual([]);
  });
});
