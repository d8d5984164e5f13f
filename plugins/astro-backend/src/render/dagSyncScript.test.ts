import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
} from 'node:fs';
import {
  IncomingMessage,
  Server,
  ServerResponse,
  createServer,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAG_SYNC_SCRIPT_PATH } from './dags';
import { TarEntry, bundleVersion, tarGz } from './__testUtils__/tarball';

/*
 * Protects the DAG sync script (assets/dag_sync.py) as the pods run it: the
 * machine's python3 runs it against a small HTTP server speaking the DAG
 * sync protocol (GET current, GET versions/<version>, PUT pods/<pod>).
 */

const PYTHON = 'python3';
const hasPython = spawnSync(PYTHON, ['--version']).status === 0;
if (!hasPython) {
  // eslint-disable-next-line no-console
  console.warn(
    'python3 is not installed: the tests of assets/dag_sync.py are SKIPPED',
  );
}
const describeWithPython = hasPython ? describe : describe.skip;

jest.setTimeout(60_000);

const TOKEN = 'test-bundle-token-5f0c2a9e7d1b';
const DEPLOYMENT = 'd7c1a0e2-5b8f-4c3a-9e61-2f4b8d0c7a15';
const POD = 'scheduler-7d9f8c6b5-x2kqp';
const BASE = `/api/astro/bundles/${DEPLOYMENT}`;

interface Report {
  pod: string;
  body: { version: string; error?: string };
}

/** The backend's side of the protocol, in memory. */
class BundleServer {
  readonly bundles = new Map<string, Buffer>();
  readonly reports: Report[] = [];
  readonly requests: string[] = [];
  current?: { version: string; deployId: string };
  /** Answer this many further requests with 500. */
  failures = 0;
  url = '';
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<void> {
    await new Promise<void>(resolve =>
      this.server.listen(0, '127.0.0.1', resolve),
    );
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}${BASE}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise(resolve => this.server.close(resolve));
  }

  /** Stores a bundle under its version (or under a wrong one). */
  add(bundle: Buffer, version = bundleVersion(bundle)): string {
    this.bundles.set(version, bundle);
    return version;
  }

  serve(version: string | undefined) {
    this.current = version
      ? { version, deployId: `deploy-of-${version.slice(7, 15)}` }
      : undefined;
  }

  async waitForReport(
    predicate: (report: Report) => boolean,
    timeoutMs = 20_000,
  ): Promise<Report> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.reports.find(predicate);
      if (found) {
        return found;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `no such report; got ${JSON.stringify(this.reports, null, 1)}`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const path = req.url ?? '';
    this.requests.push(`${req.method} ${path.slice(BASE.length)}`);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401).end();
      return;
    }
    if (this.failures > 0) {
      this.failures -= 1;
      res.writeHead(500).end();
      return;
    }
    if (req.method === 'GET' && path === `${BASE}/current`) {
      if (!this.current) {
        res.writeHead(404).end();
        return;
      }
      const bundle = this.bundles.get(this.current.version);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ...this.current, size: bundle?.length ?? 0 }));
      return;
    }
    const version = /^\/versions\/([^/]+)$/.exec(path.slice(BASE.length));
    if (req.method === 'GET' && version) {
      const bundle = this.bundles.get(decodeURIComponent(version[1]));
      if (!bundle) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/gzip' }).end(bundle);
      return;
    }
    const pod = /^\/pods\/([^/]+)$/.exec(path.slice(BASE.length));
    if (req.method === 'PUT' && pod) {
      const chunks: Buffer[] = [];
      req.on('data', chunk => chunks.push(chunk));
      req.on('end', () => {
        this.reports.push({
          pod: decodeURIComponent(pod[1]),
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        });
        res.writeHead(204).end();
      });
      return;
    }
    res.writeHead(404).end();
  }
}

/** A bundle of `count` DAG files, a helper module and a manifest naming them all. */
function dagsBundle(label: string, count = 3): Buffer {
  const files = Array.from({ length: count }, (_, i) => `dags/dag_${i}.py`);
  return tarGz([
    { name: 'dags/', type: 'dir' },
    ...files.map(name => ({
      name,
      content: `# ${label}\nVERSION = ${JSON.stringify(label)}\n`,
    })),
    { name: 'include/', type: 'dir' },
    { name: 'include/helpers.py', content: `LABEL = '${label}'\n` },
    {
      name: 'MANIFEST',
      content: JSON.stringify({
        label,
        files: [...files, 'include/helpers.py'],
      }),
    },
  ]);
}

const hexOf = (version: string) => version.slice('sha256:'.length);

describeWithPython('dag_sync.py', () => {
  let server: BundleServer;
  let root: string;
  let dags: string;

  function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: root,
      ASTRO_BUNDLE_URL: server.url,
      ASTRO_BUNDLE_TOKEN: TOKEN,
      ASTRO_POD_NAME: POD,
      ASTRO_DAGS_DIR: dags,
      ASTRO_SYNC_INTERVAL_SECONDS: '0.1',
      ASTRO_ONCE_RETRY_SECONDS: '0.05',
      ASTRO_HEARTBEAT_FILE: join(root, 'heartbeat'),
      ...extra,
    };
  }

  function collect(child: ChildProcess): () => string {
    let output = '';
    child.stdout!.on('data', chunk => {
      output += chunk;
    });
    child.stderr!.on('data', chunk => {
      output += chunk;
    });
    return () => output;
  }

  async function once(
    extra: Record<string, string> = {},
  ): Promise<{ code: number | null; output: string }> {
    const child = spawn(PYTHON, [DAG_SYNC_SCRIPT_PATH, '--once'], {
      env: env(extra),
    });
    const output = collect(child);
    const code = await new Promise<number | null>(resolve =>
      child.on('exit', resolve),
    );
    // Whatever happened, the run did not print the token.
    expect(output()).not.toContain(TOKEN);
    return { code, output: output() };
  }

  /** What `current` points at, relative to the DAGs folder. */
  const current = () => readlinkSync(join(dags, 'current'));
  const versions = () => readdirSync(join(dags, 'versions')).sort();

  beforeEach(async () => {
    server = new BundleServer();
    await server.start();
    root = mkdtempSync(join(tmpdir(), 'dag-sync-test-'));
    dags = join(root, 'dags');
  });

  afterEach(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  describe('--once (the init container)', () => {
    it('serves the current bundle and reports it', async () => {
      const v1 = server.add(dagsBundle('v1'));
      server.serve(v1);

      const { code, output } = await once();

      expect(code).toBe(0);
      expect(current()).toBe(`versions/${hexOf(v1)}`);
      expect(
        readFileSync(join(dags, 'current/dags/dag_2.py'), 'utf8'),
      ).toContain('"v1"');
      expect(
        readFileSync(join(dags, 'current/include/helpers.py'), 'utf8'),
      ).toBe("LABEL = 'v1'\n");
      expect(versions()).toEqual([hexOf(v1)]);
      expect(server.reports).toEqual([{ pod: POD, body: { version: v1 } }]);
      expect(output).toContain(`serving ${v1}`);
      expect(server.requests).toEqual([
        'GET /current',
        `GET /versions/${encodeURIComponent(v1)}`,
        `PUT /pods/${POD}`,
      ]);
    });

    it('exits 0 with an empty DAGs folder and reports nothing while there is no bundle', async () => {
      const { code, output } = await once();

      expect(code).toBe(0);
      expect(lstatSync(join(dags, 'current')).isSymbolicLink()).toBe(true);
      expect(readdirSync(join(dags, 'current'))).toEqual([]);
      expect(server.reports).toEqual([]);
      expect(output).toContain('no DAG bundle yet');
    });

    it('does not download a bundle it already serves', async () => {
      const v1 = server.add(dagsBundle('v1'));
      server.serve(v1);
      await once();
      server.requests.length = 0;

      expect((await once()).code).toBe(0);
      expect(server.requests).toEqual(['GET /current', `PUT /pods/${POD}`]);
    });

    it('rejects a bundle whose checksum is not its version, keeps serving and reports the error', async () => {
      const v1 = server.add(dagsBundle('v1'));
      server.serve(v1);
      await once();
      // The bytes of another bundle under v2's name.
      const v2 = bundleVersion(dagsBundle('v2'));
      server.add(dagsBundle('tampered'), v2);
      server.serve(v2);

      const { code, output } = await once();

      expect(code).toBe(0);
      expect(current()).toBe(`versions/${hexOf(v1)}`);
      expect(versions()).toEqual([hexOf(v1)]);
      expect(server.reports.at(-1)).toEqual({
        pod: POD,
        body: {
          version: v1,
          error: expect.stringMatching(/^checksum mismatch: sha256:/),
        },
      });
      expect(output).toContain('checksum mismatch');
    });

    it.each([
      ['a wrong token', { ASTRO_BUNDLE_TOKEN: 'not-the-token' }, 0],
      ['a failing backend', {}, 10],
    ])(
      'exits non-zero when it has nothing to serve and cannot fetch (%s)',
      async (_what, extra, failures) => {
        const v1 = server.add(dagsBundle('v1'));
        server.serve(v1);
        server.failures = failures;

        const { code, output } = await once(extra);

        expect(code).toBe(1);
        expect(existsSync(join(dags, 'current'))).toBe(false);
        expect(output).toMatch(/HTTP (401|500)/);
        expect(output).not.toContain('not-the-token');
      },
    );

    it('keeps links and hard links that stay inside the bundle', async () => {
      const bundle = tarGz([
        { name: 'lib/', type: 'dir' },
        { name: 'lib/common.py', content: 'X = 1\n' },
        { name: 'shared', type: 'symlink', linkname: 'lib' },
        { name: 'dags/', type: 'dir' },
        {
          name: 'dags/common.py',
          type: 'symlink',
          linkname: '../lib/common.py',
        },
        { name: 'copy.py', type: 'hardlink', linkname: 'lib/common.py' },
        { name: 'run.sh', content: '#!/bin/sh\n', mode: 0o755 },
      ]);
      server.serve(server.add(bundle));

      expect((await once()).code).toBe(0);
      expect(readFileSync(join(dags, 'current/shared/common.py'), 'utf8')).toBe(
        'X = 1\n',
      );
      expect(readFileSync(join(dags, 'current/dags/common.py'), 'utf8')).toBe(
        'X = 1\n',
      );
      expect(readFileSync(join(dags, 'current/copy.py'), 'utf8')).toBe(
        'X = 1\n',
      );
      expect(lstatSync(join(dags, 'current/run.sh')).mode & 0o777).toBe(0o755);
      expect(lstatSync(join(dags, 'current/copy.py')).mode & 0o777).toBe(0o644);
    });
  });

  describe('hostile or oversized bundles', () => {
    const evil = { content: 'import os  # evil\n' };
    const cases: Array<
      [string, () => TarEntry[] | Buffer, RegExp, Record<string, string>]
    > = [
      [
        'a parent-directory path',
        () => [{ name: '../evil.py', ...evil }],
        /leaves the bundle/,
        {},
      ],
      [
        'a path that climbs out from a folder',
        () => [{ name: 'dags/../../evil.py', ...evil }],
        /leaves the bundle/,
        {},
      ],
      [
        'an absolute path',
        () => [{ name: `${root}/evil.py`, ...evil }],
        /absolute/,
        {},
      ],
      [
        'a symbolic link out of the tree',
        () => [{ name: 'evil', type: 'symlink', linkname: '../../..' }],
        /points outside/,
        {},
      ],
      [
        'a symbolic link to an absolute path',
        () => [{ name: 'evil', type: 'symlink', linkname: '/etc/passwd' }],
        /absolute path/,
        {},
      ],
      [
        'a chain of links that each stay inside but resolve outside',
        () => [
          { name: 'a/', type: 'dir' },
          { name: 'a/s', type: 'symlink', linkname: '..' },
          { name: 'a/t', type: 'symlink', linkname: 's/..' },
        ],
        /resolves outside/,
        {},
      ],
      [
        'an entry written through a link',
        () => [
          { name: 'sub/', type: 'dir' },
          { name: 'lnk', type: 'symlink', linkname: 'sub' },
          { name: 'lnk/evil.py', ...evil },
        ],
        /goes through a symbolic link/,
        {},
      ],
      [
        'a hard link out of the tree',
        () => [{ name: 'evil', type: 'hardlink', linkname: '../outside' }],
        /leaves the bundle/,
        {},
      ],
      [
        'a FIFO',
        () => [{ name: 'pipe', type: 'fifo' }],
        /not a file, directory or link/,
        {},
      ],
      [
        'a device',
        () => [{ name: 'dev', type: 'chardev' }],
        /not a file, directory or link/,
        {},
      ],
      [
        'the same entry twice',
        () => [
          { name: 'dag.py', content: 'A = 1\n' },
          { name: 'dag.py', content: 'A = 2\n' },
        ],
        /appears twice/,
        {},
      ],
      [
        'too many entries',
        () => Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.py` })),
        /more than 5 entries/,
        { ASTRO_BUNDLE_MAX_ENTRIES: '5' },
      ],
      [
        'too many bytes unpacked',
        () => [{ name: 'big.py', content: 'x'.repeat(5000) }],
        /unpacks to more than 1000 bytes/,
        { ASTRO_BUNDLE_MAX_EXTRACTED_BYTES: '1000' },
      ],
      [
        'too large a download',
        () => [{ name: 'big.py', content: 'x'.repeat(5000) }],
        /larger than 20 bytes/,
        { ASTRO_BUNDLE_MAX_BYTES: '20' },
      ],
      [
        'bytes that are not a .tar.gz',
        () => Buffer.from('not a tarball'),
        /not a valid \.tar\.gz/,
        {},
      ],
    ];

    it.each(cases)(
      'refuses %s: keeps serving, reports why, writes nothing outside and leaves nothing behind',
      async (_what, archive, message, extra) => {
        const v1 = server.add(dagsBundle('v1'));
        server.serve(v1);
        expect((await once()).code).toBe(0);
        const made = archive();
        const hostile = server.add(Buffer.isBuffer(made) ? made : tarGz(made));
        server.serve(hostile);

        const { code } = await once(extra);

        expect(code).toBe(0);
        expect(current()).toBe(`versions/${hexOf(v1)}`);
        expect(versions()).toEqual([hexOf(v1)]);
        expect(server.reports.at(-1)).toEqual({
          pod: POD,
          body: { version: v1, error: expect.stringMatching(message) },
        });
        expect(readdirSync(root).sort()).toEqual(['dags', 'heartbeat']);
        expect(readdirSync(dags).sort()).toEqual(['current', 'versions']);
      },
    );
  });

  describe('the sidecar', () => {
    it('swaps versions atomically, keeps the previous one, deletes older ones and reports each', async () => {
      const bundles = ['v1', 'v2', 'v3'].map(label =>
        server.add(dagsBundle(label, 300)),
      );
      server.serve(bundles[0]);
      const child = spawn(PYTHON, [DAG_SYNC_SCRIPT_PATH], { env: env() });
      const output = collect(child);
      const exited = new Promise<number | null>(resolve =>
        child.on('exit', resolve),
      );
      try {
        await server.waitForReport(r => r.body.version === bundles[0]);

        // A reader of the DAGs folder, checking at every turn of the event
        // loop that `current` names a complete tree.
        const seen = new Set<string>();
        const problems: string[] = [];
        let watching = true;
        const watcher = (async () => {
          while (watching) {
            try {
              const target = readlinkSync(join(dags, 'current'));
              if (!/^versions\/[0-9a-f]{64}$/.test(target)) {
                problems.push(`current -> ${target}`);
              }
              const tree = join(dags, target);
              const manifest = JSON.parse(
                readFileSync(join(tree, 'MANIFEST'), 'utf8'),
              );
              const missing = manifest.files.filter(
                (file: string) =>
                  !readFileSync(join(tree, file), 'utf8').includes(
                    manifest.label,
                  ),
              );
              if (missing.length) {
                problems.push(`${target} lacks ${missing.length} files`);
              }
              seen.add(target);
            } catch (error) {
              problems.push(String(error));
            }
            await new Promise(resolve => setImmediate(resolve));
          }
        })();

        server.serve(bundles[1]);
        await server.waitForReport(r => r.body.version === bundles[1]);
        // A passing failure of the backend on the way to v3: backoff, then v3.
        server.failures = 2;
        server.serve(bundles[2]);
        await server.waitForReport(r => r.body.version === bundles[2]);
        watching = false;
        await watcher;

        expect(problems).toEqual([]);
        expect([...seen].sort()).toEqual(
          bundles.map(v => `versions/${hexOf(v)}`).sort(),
        );
        expect(current()).toBe(`versions/${hexOf(bundles[2])}`);
        expect(readlinkSync(join(dags, 'previous'))).toBe(
          `versions/${hexOf(bundles[1])}`,
        );
        expect(versions()).toEqual(
          [hexOf(bundles[1]), hexOf(bundles[2])].sort(),
        );
        const served = server.reports
          .filter(r => !r.body.error)
          .map(r => r.body.version);
        expect(served).toEqual(bundles);
        expect(server.reports.every(r => r.pod === POD)).toBe(true);
        expect(existsSync(join(root, 'heartbeat'))).toBe(true);
      } finally {
        child.kill('SIGTERM');
        const code = await exited;
        expect(output()).not.toContain(TOKEN);
        expect(code).toBe(0);
      }
    });
  });
});
