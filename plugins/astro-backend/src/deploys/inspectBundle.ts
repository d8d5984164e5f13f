import { createHash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import { InputError } from '@backstage/errors';
import { extract as tarExtract, Header } from 'tar-stream';
import { formatBytes, PayloadTooLargeError } from '../lib/errors';

/** What a DAG bundle may be. */
export interface BundleLimits {
  /** Largest compressed size, in bytes. */
  maxBytes: number;
  /** Most bytes the archive may expand to (the tar stream, headers included). */
  maxExpandedBytes: number;
  /** Most entries (files, folders, …) in the archive. */
  maxEntries: number;
}

/** Defaults of {@link BundleLimits}. */
export const DEFAULT_BUNDLE_LIMITS: BundleLimits = {
  maxBytes: 64 * 1024 * 1024,
  maxExpandedBytes: 512 * 1024 * 1024,
  maxEntries: 5000,
};

/** A bundle that passed inspection. */
export interface InspectedBundle {
  /** `sha256:<hex>` of its bytes. */
  version: string;
  /** Compressed size in bytes. */
  size: number;
  /** Regular files in it. */
  files: number;
}

/** The SHA-256 of bytes as a bundle version. */
export function bundleVersionOf(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** An entry name as it may appear in an error message. */
function quote(name: string): string {
  const shown = name.length > 200 ? `${name.slice(0, 200)}…` : name;
  return JSON.stringify(shown);
}

/**
 * Why an entry may not be in a bundle, or undefined when it may. Bundles
 * hold regular files and folders only, under relative paths that stay in
 * the bundle's folder: what the DAG sync unpacks must never write outside
 * its version folder, whatever tool unpacks it.
 */
export function entryProblem(header: Header): string | undefined {
  const name = header.name;
  const entry = `entry ${quote(name)}`;
  if (name.includes('\0')) {
    return `${entry} has a NUL character in its path`;
  }
  if (name.includes('\\')) {
    return `${entry} has a backslash in its path; paths use /`;
  }
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) {
    return `${entry} has an absolute path; paths must be relative to the DAGs folder`;
  }
  if (name.split('/').includes('..')) {
    return `${entry} leaves the DAGs folder (its path contains "..")`;
  }
  switch (header.type) {
    case 'file':
    case 'contiguous-file':
    case 'directory':
      return undefined;
    case 'symlink':
      return `${entry} is a symbolic link (to ${quote(
        header.linkname ?? '',
      )}); bundles hold regular files and folders only (tar -h follows links)`;
    case 'link':
      return `${entry} is a hard link (to ${quote(
        header.linkname ?? '',
      )}); bundles hold regular files and folders only`;
    case 'character-device':
    case 'block-device':
      return `${entry} is a device; bundles hold regular files and folders only`;
    case 'fifo':
      return `${entry} is a named pipe; bundles hold regular files and folders only`;
    default:
      return `${entry} is of an unsupported type (${String(
        (header as { type: unknown }).type,
      )}); bundles hold regular files and folders only`;
  }
}

/**
 * Checks a DAG bundle before anything is stored: the declared checksum
 * matches its bytes, it is within the size limit, it is a gzip-compressed
 * tar archive that expands to at most `maxExpandedBytes` and holds at most
 * `maxEntries` entries, all regular files or folders with relative paths
 * that stay in the archive's folder. The archive is read as a stream and
 * abandoned at the first problem, so neither a gzip bomb nor an archive of
 * countless entries is inflated completely.
 *
 * Throws a 413 (size) or an InputError naming the problem (and the entry);
 * resolves to the bundle's version, size and number of regular files.
 */
export async function inspectBundle(
  bytes: Buffer,
  declaredChecksum: string | undefined,
  limits: BundleLimits,
): Promise<InspectedBundle> {
  if (bytes.length > limits.maxBytes) {
    throw new PayloadTooLargeError(
      `body: the bundle is ${formatBytes(
        bytes.length,
      )}, larger than the limit of ${formatBytes(
        limits.maxBytes,
      )} (astro.deploys.maxBundleBytes)`,
    );
  }
  if (!declaredChecksum) {
    throw new InputError(
      'checksum: is required with a bundle, as sha256:<64 hex digits> of the body',
    );
  }
  const version = bundleVersionOf(bytes);
  if (version !== declaredChecksum) {
    throw new InputError(
      `checksum: ${declaredChecksum} does not match the body, whose SHA-256 is ${version}`,
    );
  }
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw new InputError(
      'body: is not gzip-compressed; send the DAGs folder as a .tar.gz archive',
    );
  }
  const files = await readArchive(bytes, limits);
  return { version, size: bytes.length, files };
}

async function readArchive(
  bytes: Buffer,
  limits: BundleLimits,
): Promise<number> {
  const gunzip = createGunzip();
  const extract = tarExtract();
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    gunzip.destroy();
    extract.destroy(error);
  };

  let expanded = 0;
  gunzip.on('data', (chunk: Buffer) => {
    expanded += chunk.length;
    if (expanded > limits.maxExpandedBytes) {
      fail(
        new InputError(
          `body: the archive expands to more than ${formatBytes(
            limits.maxExpandedBytes,
          )} (astro.deploys.maxBundleExpandedBytes)`,
        ),
      );
      return;
    }
    if (!extract.write(chunk)) {
      gunzip.pause();
      extract.once('drain', () => gunzip.resume());
    }
  });
  gunzip.on('end', () => extract.end(undefined));
  gunzip.on('error', error =>
    fail(
      new InputError(
        `body: is not a valid gzip stream (${error.message}); send the DAGs folder as a .tar.gz archive`,
      ),
    ),
  );
  gunzip.end(bytes);

  let entries = 0;
  let files = 0;
  try {
    for await (const entry of extract) {
      entries += 1;
      if (entries > limits.maxEntries) {
        throw new InputError(
          `body: the archive has more than ${limits.maxEntries} entries (astro.deploys.maxBundleEntries)`,
        );
      }
      const problem = entryProblem(entry.header);
      if (problem) {
        throw new InputError(`body: ${problem}`);
      }
      if (entry.header.type !== 'directory') {
        files += 1;
      }
      entry.resume();
    }
  } catch (error) {
    fail(error as Error);
  }
  if (failure) {
    if (failure instanceof InputError) {
      throw failure;
    }
    throw new InputError(
      `body: is not a tar archive inside the gzip stream (${failure.message})`,
    );
  }
  return files;
}
