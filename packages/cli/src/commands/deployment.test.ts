import { promises as fs } from 'node:fs';
import path from 'node:path';
import { makeDeployment } from '../__testUtils__/fakePortal';
import { CliHarness } from '../__testUtils__/harness';

const FILE = `apiVersion: astro.airflow-portal.dev/v1alpha1
kind: AstroDeploymentFile
metadata:
  name: reports
  workspace: data-eng
spec:
  settings:
    executor: KUBERNETES
`;

describe('deployment commands', () => {
  const cli = new CliHarness();

  beforeEach(() => cli.start());
  afterEach(() => cli.stop());

  const run = (
    args: string[],
    options: { stdin?: string; tty?: boolean } = {},
  ) => cli.run(args, { env: cli.loggedIn(), ...options });

  describe('list', () => {
    it("lists every organization's Deployments, following pages", async () => {
      cli.portal.organizations = ['acme', 'globex'];
      cli.portal.deployments.push(
        makeDeployment('ingest', {
          dagBundleVersion: `sha256:${'9f86d081'.repeat(8)}`,
        }),
        makeDeployment('reports', { status: 'DEPLOYING' }),
        makeDeployment('ml', { organization: 'globex', workspace: 'science' }),
      );
      const result = await run(['deployment', 'list']);
      expect(result.code).toBe(0);
      expect(
        result.stdout.split('\n').map(l => l.replace(/\s+/g, ' ')),
      ).toEqual([
        'DEPLOYMENT WORKSPACE STATUS AIRFLOW EXECUTOR CLUSTER DAG BUNDLE',
        'acme/etl data-eng HEALTHY 3.1.3 CELERY simulator -',
        'acme/ingest data-eng HEALTHY 3.1.3 CELERY simulator sha256:9f86d0819f86',
        'acme/reports data-eng DEPLOYING 3.1.3 CELERY simulator -',
        'globex/ml science HEALTHY 3.1.3 CELERY simulator -',
        '',
      ]);
      expect(
        cli.portal.requests.filter(r => r.query.cursor === 'page-2'),
      ).toHaveLength(1);
    });

    it('filters by organization and workspace, and prints the API objects with --json', async () => {
      cli.portal.deployments.push(
        makeDeployment('ml', { workspace: 'science' }),
      );
      const result = await run([
        'deployment',
        'list',
        '--organization',
        'acme',
        '--workspace',
        'science',
        '--json',
      ]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual([cli.portal.deployments[1]]);
      expect(cli.portal.requests[0].query).toMatchObject({
        workspace: 'science',
      });
    });
  });

  describe('inspect', () => {
    it('shows settings, status, image, DAG bundle version and the last deploys', async () => {
      cli.portal.deployments[0].dagBundleVersion = `sha256:${'ab'.repeat(32)}`;
      await run([
        'deploy',
        'acme/etl',
        '--image',
        'registry.example.com/etl:7',
        '--description',
        'Upgrade pandas',
      ]);
      const result = await run(['deployment', 'inspect', 'acme/etl']);
      expect(result.code).toBe(0);
      const out = result.stdout;
      expect(out).toMatch(/^acme\/etl\n/);
      expect(out).toMatch(
        /Status: +HEALTHY \(All components are ready\) since 2026-11-26 10:05:00Z/,
      );
      expect(out).toMatch(/Image: +apache\/airflow:3\.1\.3/);
      expect(out).toMatch(new RegExp(`DAG bundle: +sha256:${'ab'.repeat(32)}`));
      expect(out).toMatch(/Executor: +CELERY/);
      expect(out).toMatch(
        /Worker queues: +default \(default\): A5, 0-10 workers, concurrency 5/,
      );
      expect(out).toMatch(/Environment variables: +2 \(1 secret\)/);
      expect(out).toMatch(/CI\/CD enforced: +no/);
      expect(out).toMatch(
        /Last deploys\n {2}[0-9a-f-]{36} {2}DEPLOYED {5}2026-11-30 10:00:00Z {2}IMAGE registry\.example\.com\/etl:7 {2}"Upgrade pandas"\n$/,
      );
    });

    it('still shows the Deployment when its deploys cannot be listed', async () => {
      cli.portal.withoutDeploys = true;
      const result = await run(['deployment', 'inspect', 'acme/etl']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Last deploys\n {2}unknown\n$/);
      expect(result.stderr).toBe(
        'Warning: could not list the deploys: The portal answered HTTP 404 without an error of its own\n' +
          '  Hint: no such endpoint there: is --url the portal backend, and is the portal recent enough for this command?\n',
      );
    });

    it('says when --url answers with something else than the API', async () => {
      cli.portal.servesWebPage = true;
      const result = await run(['deployment', 'inspect', 'acme/etl']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^Error: The answer of http:\/\/portal\.test is not the portal API's \(.*\): is --url the portal backend's URL/,
      );
    });

    it('prints the Deployment object with --json', async () => {
      const result = await run(['deployment', 'inspect', 'acme/etl', '--json']);
      expect(JSON.parse(result.stdout)).toEqual(cli.portal.deployments[0]);
    });

    it('exits 1 with the portal message for a missing Deployment', async () => {
      const result = await run(['deployment', 'inspect', 'acme/nope']);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'Error: No such organization or Deployment (HTTP 404 NotFoundError)\n',
      );
    });

    it('prints the API error body as JSON on stderr with --json', async () => {
      const result = await run([
        'deployment',
        'inspect',
        'acme/nope',
        '--json',
      ]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(JSON.parse(result.stderr)).toEqual({
        error: {
          name: 'NotFoundError',
          message: 'No such organization or Deployment',
        },
        response: { statusCode: 404 },
      });
    });
  });

  describe('create', () => {
    it('imports a deployment file into the only organization the user sees', async () => {
      await fs.writeFile(path.join(cli.home, 'reports.yaml'), FILE);
      const result = await run([
        'deployment',
        'create',
        '--deployment-file',
        'reports.yaml',
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const imported = cli.portal.requests.find(r =>
        r.path.endsWith('deployments:import'),
      )!;
      expect(imported.method).toBe('POST');
      expect(imported.path).toBe('/organizations/acme/deployments:import');
      expect(imported.headers['content-type']).toBe('application/yaml');
      expect(imported.body).toBe(FILE);
      expect(result.stdout).toBe(
        'Created acme/reports in workspace data-eng on simulator: CREATING. Follow it with `airflow-portal deployment inspect acme/reports`.\n',
      );
    });

    it('refuses to create over an existing Deployment', async () => {
      await fs.writeFile(
        path.join(cli.home, 'etl.yaml'),
        FILE.replace('name: reports', 'name: etl'),
      );
      const result = await run([
        'deployment',
        'create',
        '--organization',
        'acme',
        '--deployment-file',
        'etl.yaml',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'Error: acme/etl exists already; change it with `airflow-portal deployment update acme/etl`\n',
      );
      expect(cli.portal.writes).toHaveLength(0);
    });

    it("shows the portal's field errors for a bad file", async () => {
      await fs.writeFile(
        path.join(cli.home, 'bad.yaml'),
        FILE.replace('KUBERNETES', 'NOPE'),
      );
      const result = await run([
        'deployment',
        'create',
        '--deployment-file',
        'bad.yaml',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'Error: file.spec.settings.executor: must be one of CELERY, KUBERNETES (HTTP 400 InputError)\n',
      );
    });

    it('creates from flags with the common settings', async () => {
      const result = await run([
        'deployment',
        'create',
        '--organization',
        'acme',
        '--workspace',
        'data-eng',
        '--name',
        'ml',
        '--title',
        'Machine learning',
        '--executor',
        'KUBERNETES',
        '--scheduler-size',
        'MEDIUM',
        '--high-availability',
        '--cicd-enforced',
        '--contact-email',
        'oncall@example.com',
        'ml@example.com',
        '--worker-grace-period',
        '3600',
        '--json',
      ]);
      expect(result.code).toBe(0);
      const created = cli.portal.writes[0];
      expect(created.body).toEqual({
        name: 'ml',
        workspace: 'data-eng',
        title: 'Machine learning',
        settings: {
          executor: 'KUBERNETES',
          schedulerSize: 'MEDIUM',
          highAvailability: true,
          isCicdEnforced: true,
          contactEmails: ['oncall@example.com', 'ml@example.com'],
          workerGracePeriodSeconds: 3600,
        },
      });
      expect(JSON.parse(result.stdout)).toMatchObject({
        name: 'ml',
        status: 'CREATING',
      });
    });

    it('asks for an organization when the user sees several', async () => {
      cli.portal.organizations = ['acme', 'globex'];
      const result = await run([
        'deployment',
        'create',
        '--workspace',
        'data-eng',
        '--name',
        'ml',
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'Error: --organization is required: you can see 2 organizations (acme, globex)\n',
      );
    });

    it('is a usage error to mix a file and flags, or give neither', async () => {
      const both = await run([
        'deployment',
        'create',
        '--deployment-file',
        'x.yaml',
        '--executor',
        'CELERY',
      ]);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('not both');
      const neither = await run(['deployment', 'create']);
      expect(neither.code).toBe(2);
      expect(neither.stderr).toContain(
        'Give --deployment-file FILE, or --workspace and --name',
      );
      expect(cli.portal.requests).toHaveLength(0);
    });

    it('says which file it cannot read', async () => {
      const result = await run([
        'deployment',
        'create',
        '--deployment-file',
        'missing.yaml',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `Error: --deployment-file: cannot read ${path.join(
          cli.home,
          'missing.yaml',
        )}: ENOENT\n`,
      );
    });
  });

  describe('update', () => {
    it('replaces the settings with a deployment file', async () => {
      await fs.writeFile(
        path.join(cli.home, 'etl.yaml'),
        FILE.replace('name: reports', 'name: etl'),
      );
      const result = await run([
        'deployment',
        'update',
        'acme/etl',
        '--deployment-file',
        'etl.yaml',
      ]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('Updated acme/etl: generation 2, HEALTHY.\n');
      expect(
        cli.portal.deployments.find(d => d.name === 'etl')?.settings.executor,
      ).toBe('KUBERNETES');
    });

    it('refuses a file that describes another Deployment', async () => {
      await fs.writeFile(path.join(cli.home, 'reports.yaml'), FILE);
      const result = await run([
        'deployment',
        'update',
        'acme/etl',
        '--deployment-file',
        'reports.yaml',
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'Error: --deployment-file: the file describes reports, not etl\n',
      );
    });

    it('does not create a missing Deployment from a file', async () => {
      await fs.writeFile(path.join(cli.home, 'reports.yaml'), FILE);
      const result = await run([
        'deployment',
        'update',
        'acme/reports',
        '--deployment-file',
        'reports.yaml',
      ]);
      expect(result.code).toBe(1);
      expect(cli.portal.writes).toHaveLength(0);
    });

    it('changes only the settings given as flags', async () => {
      const result = await run([
        'deployment',
        'update',
        'acme/etl',
        '--scheduler-size',
        'LARGE',
        '--no-high-availability',
        '--description',
        'Nightly ETL',
      ]);
      expect(result.code).toBe(0);
      expect(cli.portal.writes[0]).toMatchObject({
        method: 'PATCH',
        path: '/organizations/acme/deployments/etl',
        body: {
          description: 'Nightly ETL',
          settings: { schedulerSize: 'LARGE', highAvailability: false },
        },
      });
      expect(result.stdout).toBe(
        'Updated acme/etl: generation 2, DEPLOYING.\n',
      );
    });

    it('is a usage error with nothing to change', async () => {
      const result = await run(['deployment', 'update', 'acme/etl']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Nothing to change');
    });
  });

  describe('delete', () => {
    it('deletes with --yes, guarded by the version it read', async () => {
      const result = await run(['deployment', 'delete', 'acme/etl', '--yes']);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('Deletion of acme/etl requested: DELETING.\n');
      expect(cli.portal.writes[0]).toMatchObject({
        method: 'DELETE',
        headers: { 'if-match': '1' },
      });
    });

    it('needs --yes without a terminal', async () => {
      const result = await run(['deployment', 'delete', 'acme/etl']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'Error: Deleting acme/etl needs --yes when there is no terminal to confirm on\n',
      );
      expect(cli.portal.writes).toHaveLength(0);
    });

    it('asks on a terminal for the name, and deletes only when it matches', async () => {
      const wrong = await run(['deployment', 'delete', 'acme/etl'], {
        stdin: 'elt\n',
        tty: true,
      });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('Type its name to confirm: ');
      expect(wrong.stderr).toContain(
        'Error: Not deleted: the name did not match',
      );
      expect(cli.portal.writes).toHaveLength(0);

      const right = await run(['deployment', 'delete', 'acme/etl'], {
        stdin: 'etl\n',
        tty: true,
      });
      expect(right.code).toBe(0);
      expect(cli.portal.writes).toHaveLength(1);
    });
  });

  it('exports a deployment file', async () => {
    const result = await run(['deployment', 'export', 'acme/etl']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('kind: AstroDeploymentFile\n');
    expect(result.stdout).toContain('name: etl\n');
  });
});
