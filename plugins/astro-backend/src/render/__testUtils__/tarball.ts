import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** One entry of a test archive; anything a tar header can say, hostile included. */
export interface TarEntry {
  name: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo' | 'chardev';
  content?: string | Buffer;
  linkname?: string;
  mode?: number;
}

const TYPE_FLAGS: Record<NonNullable<TarEntry['type']>, string> = {
  file: '0',
  hardlink: '1',
  symlink: '2',
  chardev: '3',
  dir: '5',
  fifo: '6',
};

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/**
 * A ustar header written by hand, so that tests can make archives no tar
 * tool would (absolute names, `..`, links out of the tree, devices).
 */
function header(entry: TarEntry, size: number): Buffer {
  const block = Buffer.alloc(512, 0);
  const type = entry.type ?? 'file';
  block.write(entry.name, 0, 100, 'utf8');
  block.write(
    octal(entry.mode ?? (type === 'dir' ? 0o755 : 0o644), 8),
    100,
    'ascii',
  );
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(1700000000, 12), 136, 'ascii');
  block.write(' '.repeat(8), 148, 'ascii');
  block.write(TYPE_FLAGS[type], 156, 'ascii');
  block.write(entry.linkname ?? '', 157, 100, 'utf8');
  block.write('ustar\u000000', 257, 'binary');
  let sum = 0;
  for (const byte of block) {
    sum += byte;
  }
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

/** A .tar.gz of the entries, in order. */
export function tarGz(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data =
      (entry.type ?? 'file') === 'file'
        ? Buffer.from(entry.content ?? '')
        : Buffer.alloc(0);
    parts.push(header(entry, data.length), data);
    const padding = (512 - (data.length % 512)) % 512;
    parts.push(Buffer.alloc(padding, 0));
  }
  parts.push(Buffer.alloc(1024, 0));
  return gzipSync(Buffer.concat(parts));
}

/** The version of a bundle: `sha256:<hex>` of its bytes. */
export function bundleVersion(bundle: Buffer): string {
  return `sha256:${createHash('sha256').update(bundle).digest('hex')}`;
}
