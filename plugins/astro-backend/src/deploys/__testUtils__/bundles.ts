import { gzipSync } from 'node:zlib';
import { Header, pack } from 'tar-stream';
import { bundleVersionOf } from '../inspectBundle';

/** One entry of a test archive. */
export interface TestEntry {
  name: string;
  type?: Header['type'];
  content?: string;
  linkname?: string;
}

/** A tar archive (not compressed) of the given entries. */
export async function makeTar(entries: TestEntry[]): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    archive.on('data', chunk => chunks.push(chunk as Buffer));
    archive.on('end', () => resolve());
    archive.on('error', reject);
  });
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    await new Promise<void>((resolve, reject) => {
      const callback = (error?: Error | null) =>
        error ? reject(error) : resolve();
      if (type === 'file') {
        archive.entry(
          { name: entry.name, type, mode: 0o644 },
          entry.content ?? '',
          callback,
        );
      } else {
        archive.entry(
          {
            name: entry.name,
            type,
            mode: type === 'directory' ? 0o755 : 0o644,
            linkname: entry.linkname,
          },
          callback,
        );
      }
    });
  }
  archive.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** A .tar.gz of the given entries, with its checksum. */
export async function makeBundle(
  entries: TestEntry[],
): Promise<{ bytes: Buffer; checksum: string }> {
  const bytes = gzipSync(await makeTar(entries));
  return { bytes, checksum: bundleVersionOf(bytes) };
}

/** A small valid bundle of DAG files. */
export function dagsBundle(marker = 'v1') {
  return makeBundle([
    { name: 'dags', type: 'directory' },
    { name: 'dags/etl.py', content: `# ${marker}\nprint("etl")\n` },
    { name: 'dags/billing.py', content: 'print("billing")\n' },
    { name: 'include/sql/query.sql', content: 'select 1;\n' },
  ]);
}

/**
 * A gzip stream that expands to `expandedBytes` (a tar file entry full of
 * zeros): a few hundred KiB that inflate to a lot.
 */
export function gzipBomb(expandedBytes: number): {
  bytes: Buffer;
  checksum: string;
} {
  const header = Buffer.alloc(512);
  header.write('dags/zeros.bin', 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${(expandedBytes - 512).toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const byte of header) {
    sum += byte;
  }
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const bytes = gzipSync(
    Buffer.concat([header, Buffer.alloc(expandedBytes - 512)]),
    { level: 9 },
  );
  return { bytes, checksum: bundleVersionOf(bytes) };
}

/** An archive of `count` empty files. */
export function manyEntries(count: number) {
  return makeBundle(
    Array.from({ length: count }, (_, i) => ({ name: `dags/f${i}.py` })),
  );
}
