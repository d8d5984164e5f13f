import { createHash } from 'node:crypto';
import { promises as fs, Stats } from 'node:fs';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';
import { CliError } from '../lib/errors';

/** Folder names that never go into a bundle, wherever they are. */
export const IGNORED_FOLDERS: ReadonlySet<string> = new Set([
  '__pycache__',
  '.git',
]);

/**
 * Every entry gets this modification time, so that the same files give the
 * same archive whenever they were checked out or touched.
 */
const FIXED_MTIME = new Date(0);

/** A regular file of the bundle. */
export interface BundleFile {
  /** Path inside the bundle, with forward slashes. */
  name: string;
  /** Where its content is read from (the target of a symbolic link). */
  source: string;
  size: number;
  executable: boolean;
}

/** A packed DAGs folder. */
export interface DagBundle {
  /** The .tar.gz. */
  bytes: Uint8Array;
  /** `sha256:<hex>` of `bytes`. */
  checksum: string;
  files: BundleFile[];
  /** What was left out, for the user to see. */
  skipped: string[];
}

/** What packing reports while it works. */
export interface PackProgress {
  onFile?(file: BundleFile, index: number, total: number): void;
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return (
    relative === '' ||
    (!relative.startsWith(`..${path.sep}`) &&
      relative !== '..' &&
      !path.isAbsolute(relative))
  );
}

/**
 * Lists the regular files under `root` in a stable order: names sorted by
 * code unit, ignored folders left out, symbolic links followed when they
 * point inside `root` and refused when they point outside it.
 */
export async function collectBundleFiles(
  root: string,
): Promise<{ files: BundleFile[]; skipped: string[] }> {
  let rootStat: Stats;
  try {
    rootStat = await fs.stat(root);
  } catch {
    throw new CliError(`There is no DAGs folder at ${root}`);
  }
  if (!rootStat.isDirectory()) {
    throw new CliError(`${root} is not a folder`);
  }
  const realRoot = await fs.realpath(root);
  const files: BundleFile[] = [];
  const skipped: string[] = [];

  // `trail` holds the real paths of the folders being walked, so that a
  // link to one of its own parents is not followed forever.
  async function walk(dir: string, prefix: string, trail: string[]) {
    const entries = (await fs.readdir(dir)).sort();
    for (const entry of entries) {
      const name = prefix ? `${prefix}/${entry}` : entry;
      const full = path.join(dir, entry);
      let stat = await fs.lstat(full);
      let source = full;
      if (stat.isSymbolicLink()) {
        let target: string;
        try {
          target = await fs.realpath(full);
        } catch {
          throw new CliError(
            `dags/${name} is a symbolic link to nothing (${await fs.readlink(
              full,
            )}); remove it or fix its target`,
          );
        }
        if (!isInside(realRoot, target)) {
          throw new CliError(
            `dags/${name} is a symbolic link to ${target}, outside the DAGs folder; ` +
              'copy the file into dags/ instead (links that leave the folder are refused)',
          );
        }
        source = target;
        stat = await fs.stat(target);
      }
      if (stat.isDirectory()) {
        if (IGNORED_FOLDERS.has(entry)) {
          continue;
        }
        const real = await fs.realpath(full);
        if (trail.includes(real)) {
          skipped.push(`dags/${name} (a link to one of its parent folders)`);
          continue;
        }
        await walk(full, name, [...trail, real]);
      } else if (stat.isFile()) {
        files.push({
          name,
          source,
          size: stat.size,
          executable: (stat.mode & 0o111) !== 0,
        });
      } else {
        skipped.push(`dags/${name} (not a regular file)`);
      }
    }
  }

  await walk(root, '', [realRoot]);
  return { files, skipped };
}

/**
 * Packs a DAGs folder into a gzip-compressed tar archive of its regular
 * files, built so that the same files give the same bytes (and checksum):
 * a stable order, a fixed modification time, normalised modes and no
 * owner names, and a gzip header without a time or an OS of its own.
 */
export async function packDags(
  root: string,
  progress: PackProgress = {},
): Promise<DagBundle> {
  const { files, skipped } = await collectBundleFiles(root);

  const tar = tarPack();
  const gzip = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const compressed = new Promise<void>((resolve, reject) => {
    gzip.on('end', () => resolve());
    gzip.on('error', reject);
    tar.on('error', reject);
  });
  tar.pipe(gzip);

  for (const [index, file] of files.entries()) {
    const content = await fs.readFile(file.source);
    await new Promise<void>((resolve, reject) => {
      tar.entry(
        {
          name: file.name,
          type: 'file',
          size: content.length,
          mode: file.executable ? 0o755 : 0o644,
          mtime: FIXED_MTIME,
          uid: 0,
          gid: 0,
          uname: '',
          gname: '',
        },
        content,
        error => (error ? reject(error) : resolve()),
      );
    });
    progress.onFile?.(file, index, files.length);
  }
  tar.finalize();
  await compressed;

  const bytes = Buffer.concat(chunks);
  // Byte 9 of a gzip header names the OS that wrote it; zlib fills in the
  // one it was built for. Always say Unix, so Windows packs the same bytes.
  bytes[9] = 3;
  const checksum = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  return { bytes: new Uint8Array(bytes), checksum, files, skipped };
}
