import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A temporary folder, for a test to remove. */
export async function makeTempDir(prefix = 'airflow-portal-cli-') {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Writes files (path → content) under `root`, creating folders. */
export async function writeTree(root: string, files: Record<string, string>) {
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(root, name);
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, content);
  }
}
