/**
 * Reads a DAG bundle (a .tar.gz) in memory, as the DAG sync script unpacks
 * it into `/opt/airflow/dags/versions/<hex>`, refusing what the script
 * refuses. The rules follow Python's `tarfile` "data" extraction filter,
 * a little stricter on names:
 *
 * - member names must be relative and stay inside the bundle: an absolute
 *   name (`/etc/passwd`) or one with a `..` component is refused;
 * - symbolic and hard links must point inside the bundle (no absolute
 *   targets, no way out through `..`); hard links must name an earlier
 *   member;
 * - devices, FIFOs and other special members are refused;
 * - the archive must be a valid gzip stream holding a valid tar archive
 *   (ustar, GNU or pax headers), at most `maxBytes` once uncompressed.
 *
 * A refused bundle is refused as a whole: the pod keeps serving the bundle
 * it had.
 */
import { gunzipSync } from 'node:zlib';

/** Why a bundle was refused. */
export class BundleArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleArchiveError';
  }
}

/** One unpacked bundle: regular files by their path inside the bundle. */
export interface BundleContents {
  /** File contents by relative path (`dags/etl.py`), in archive order. */
  files: Map<string, Buffer>;
  /** Directories the archive names (also implied ones), sorted. */
  directories: string[];
  /** Symbolic links by path, with their (relative) target. */
  symlinks: Map<string, string>;
  /** Bytes of all files. */
  totalBytes: number;
}

const BLOCK = 512;

/** Default limit of a bundle's uncompressed size. */
export const DEFAULT_MAX_BUNDLE_BYTES = 256 * 1024 * 1024;

function cString(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

function octal(block: Buffer, start: number, length: number): number {
  const field = block.subarray(start, start + length);
  if (field[0] & 0x80) {
    // GNU base-256 encoding of large numbers.
    let value = field[0] & 0x7f;
    for (let i = 1; i < field.length; i++) {
      value = value * 256 + field[i];
    }
    return value;
  }
  const text = cString(block, start, length).trim();
  if (text === '') {
    return 0;
  }
  if (!/^[0-7]+$/.test(text)) {
    throw new BundleArchiveError(`invalid number "${text}" in a tar header`);
  }
  return parseInt(text, 8);
}

function checksumMatches(block: Buffer): boolean {
  const text = cString(block, 148, 8).trim();
  const stored = /^[0-7]+$/.test(text) ? parseInt(text, 8) : NaN;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i];
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

/** Parses pax extended header records (`<length> <key>=<value>\n`). */
function paxRecords(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space < 0) {
      break;
    }
    const length = Number(data.subarray(offset, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= 0) {
      throw new BundleArchiveError('invalid pax extended header');
    }
    const record = data
      .subarray(space + 1, offset + length - 1)
      .toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0) {
      records[record.slice(0, equals)] = record.slice(equals + 1);
    }
    offset += length;
  }
  return records;
}

/**
 * The normalized relative path of a member, or an error when the name is
 * absolute or leaves the bundle. `undefined` for the bundle root itself.
 */
function memberPath(name: string): string | undefined {
  if (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name)) {
    throw new BundleArchiveError(
      `refused member "${name}": absolute paths are not allowed`,
    );
  }
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') {
      continue;
    }
    if (part === '..') {
      throw new BundleArchiveError(
        `refused member "${name}": it would be written outside the bundle`,
      );
    }
    parts.push(part);
  }
  return parts.length > 0 ? parts.join('/') : undefined;
}

/** Resolves a link target relative to `base` (a directory path or ''). */
function linkTarget(member: string, base: string, target: string): string {
  if (target.startsWith('/')) {
    throw new BundleArchiveError(
      `refused link "${member}": its target "${target}" is absolute`,
    );
  }
  const parts = base === '' ? [] : base.split('/');
  for (const part of target.split('/')) {
    if (part === '' || part === '.') {
      continue;
    }
    if (part === '..') {
      if (parts.length === 0) {
        throw new BundleArchiveError(
          `refused link "${member}": its target "${target}" is outside the bundle`,
        );
      }
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  if (parts.length === 0) {
    throw new BundleArchiveError(
      `refused link "${member}": it points at the bundle's root`,
    );
  }
  return parts.join('/');
}

function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

const SPECIAL_TYPES: Record<string, string> = {
  '3': 'character device',
  '4': 'block device',
  '6': 'FIFO',
};

/**
 * Unpacks a .tar.gz in memory. Throws {@link BundleArchiveError} for what
 * the DAG sync refuses.
 */
export function readBundleArchive(
  archive: Uint8Array,
  options: { maxBytes?: number } = {},
): BundleContents {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BUNDLE_BYTES;
  let tar: Buffer;
  try {
    tar = gunzipSync(archive, { maxOutputLength: maxBytes + 4 * BLOCK });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BundleArchiveError(
        `the bundle is larger than ${maxBytes} bytes uncompressed`,
      );
    }
    throw new BundleArchiveError(
      `the bundle is not a valid gzip stream: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
  const files = new Map<string, Buffer>();
  const directories = new Set<string>();
  const symlinks = new Map<string, string>();
  const hardLinks: Array<[string, string]> = [];
  let totalBytes = 0;
  let offset = 0;
  let pendingPax: Record<string, string> = {};
  let globalPax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  let ended = false;

  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every(byte => byte === 0)) {
      ended = true;
      break;
    }
    if (!checksumMatches(header)) {
      throw new BundleArchiveError(
        `the bundle is not a valid tar archive (bad header checksum at byte ${offset})`,
      );
    }
    const typeflag = String.fromCharCode(header[156] || 0x30);
    const magic = header.subarray(257, 263).toString('latin1');
    const prefix = magic.startsWith('ustar\0') ? cString(header, 345, 155) : '';
    const size = octal(header, 124, 12);
    const dataStart = offset + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > tar.length) {
      throw new BundleArchiveError('the bundle is truncated');
    }
    const data = tar.subarray(dataStart, dataEnd);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (typeflag === 'x') {
      pendingPax = paxRecords(data);
      continue;
    }
    if (typeflag === 'g') {
      globalPax = { ...globalPax, ...paxRecords(data) };
      continue;
    }
    if (typeflag === 'L') {
      longName = cString(data, 0, data.length);
      continue;
    }
    if (typeflag === 'K') {
      longLink = cString(data, 0, data.length);
      continue;
    }
    const pax = { ...globalPax, ...pendingPax };
    const rawName =
      pax.path ??
      longName ??
      (prefix
        ? `${prefix}/${cString(header, 0, 100)}`
        : cString(header, 0, 100));
    const rawLink = pax.linkpath ?? longLink ?? cString(header, 157, 100);
    pendingPax = {};
    longName = undefined;
    longLink = undefined;

    if (SPECIAL_TYPES[typeflag]) {
      throw new BundleArchiveError(
        `refused member "${rawName}": a ${SPECIAL_TYPES[typeflag]} is not allowed`,
      );
    }
    const path = memberPath(rawName);
    if (path === undefined) {
      if (typeflag === '5') {
        continue;
      }
      throw new BundleArchiveError(
        `refused member "${rawName}": it would replace the bundle's root`,
      );
    }
    for (let dir = dirname(path); dir !== ''; dir = dirname(dir)) {
      directories.add(dir);
    }
    switch (typeflag) {
      case '0':
      case '7': {
        const declared = pax.size !== undefined ? Number(pax.size) : size;
        if (declared !== size) {
          throw new BundleArchiveError(
            `member "${rawName}" has an unsupported pax size`,
          );
        }
        totalBytes += size;
        if (totalBytes > maxBytes) {
          throw new BundleArchiveError(
            `the bundle is larger than ${maxBytes} bytes uncompressed`,
          );
        }
        files.set(path, Buffer.from(data));
        symlinks.delete(path);
        break;
      }
      case '5':
        directories.add(path);
        break;
      case '1':
        hardLinks.push([path, linkTarget(rawName, '', rawLink)]);
        break;
      case '2':
        symlinks.set(path, linkTarget(rawName, dirname(path), rawLink));
        files.delete(path);
        break;
      default:
        throw new BundleArchiveError(
          `refused member "${rawName}": unsupported tar member type "${typeflag}"`,
        );
    }
  }
  if (!ended && offset < tar.length) {
    throw new BundleArchiveError('the bundle is truncated');
  }
  for (const [path, target] of hardLinks) {
    const content = files.get(target);
    if (!content) {
      throw new BundleArchiveError(
        `refused link "${path}": its target "${target}" is not a file of the bundle`,
      );
    }
    files.set(path, content);
  }
  return {
    files,
    directories: [...directories].sort(),
    symlinks,
    totalBytes,
  };
}

/**
 * The files a process sees walking the unpacked bundle and following
 * symbolic links to files, as Airflow's DAG discovery does. Links to
 * directories and dangling links contribute nothing.
 */
export function visibleFiles(bundle: BundleContents): Map<string, Buffer> {
  const visible = new Map(bundle.files);
  for (const [path, target] of bundle.symlinks) {
    let resolved: string | undefined = target;
    for (let hops = 0; resolved && hops < 8; hops++) {
      const content = bundle.files.get(resolved);
      if (content) {
        visible.set(path, content);
        break;
      }
      resolved = bundle.symlinks.get(resolved);
    }
  }
  return new Map([...visible.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}
