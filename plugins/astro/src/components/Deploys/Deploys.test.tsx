import { createHash } from 'node:crypto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  AstroApiSchemas,
  Deployment,
} from '@airflow-portal/plugin-astro-common';
import {
  astroHttp,
  errorResponse,
  HttpResponse,
  renderAstroPage,
  setupAstroServer,
} from '../../__testUtils__/testApp';
import {
  DEPLOYMENT_PAGE as PATH,
  serveDeploymentPage,
} from '../../__testUtils__/deploymentPage';
import {
  apiToken,
  bundleVersion,
  deploy,
  deployment,
} from '../../__testUtils__/fixtures';

type Deploy = AstroApiSchemas['Deploy'];

const server = setupAstroServer();
/** Polls run every few seconds: give them time on a small machine. */
const POLLED = { timeout: 10_000 };

const TOKEN = apiToken();

/** An image deploy, the oldest of the history. */
const d1 = deploy({
  id: 'd1',
  type: 'IMAGE',
  image: 'registry.example.com/team/etl:1.0',
  bundle: undefined,
  description: 'Upgrade pandas',
  origin: 'API',
  createdAt: '2026-11-20T07:00:00.000Z',
});
/** A DAG deploy that failed. */
const d2 = deploy({
  id: 'd2',
  status: 'FAILED',
  statusReason:
    'Pods scheduler-7d9f8c6b5-x2kqp did not pick up the bundle within 600 s',
  bundle: { version: bundleVersion('b'), size: 2048, files: 1 },
  description: 'Try the billing DAG',
  origin: 'CLI',
  createdBy: 'user:default/bob',
  createdAt: '2026-11-20T08:00:00.000Z',
  deployedAt: undefined,
});
/** A rollback to d1 made by CI with an API token: what runs now. */
const d3 = deploy({
  id: 'd3',
  description: 'Back to the good DAGs',
  origin: 'CI',
  createdBy: `token:${TOKEN.id}`,
  rollbackOf: 'd1',
  createdAt: '2026-11-20T09:00:00.000Z',
});

function servePage(
  deploys: () => AstroApiSchemas['DeployPage'],
  current?: Deployment,
) {
  return serveDeploymentPage(server, {
    deploys,
    deployment: current,
    tokens: () => [TOKEN],
  });
}

async function historyRows() {
  const table = await screen.findByRole('table', { name: 'Deploys' });
  return within(table).getAllByRole('row').slice(1) as HTMLTableRowElement[];
}

function rowOf(id: string) {
  const row = document.getElementById(`astro-deploy-${id}`);
  if (!row) {
    throw new Error(`no row for deploy ${id}`);
  }
  return row;
}

describe('the code and the deploys of a Deployment', () => {
  it('shows what the Deployment runs and its latest deploy', async () => {
    servePage(() => ({ items: [d3, d2, d1] }));
    renderAstroPage(`${PATH}?tab=deploys`);
    const code = await screen.findByRole('table', { name: 'Code' });
    expect(code).toHaveTextContent('Imageapache/airflow:3.1.3');
    expect(code).toHaveTextContent('Airflow version3.1.3');
    // The bundle version in short, the whole of it to copy.
    expect(within(code).getByText('sha256:aaaaaaaaaaaa')).toHaveAttribute(
      'title',
      bundleVersion(),
    );
    expect(
      within(code).getByRole('button', { name: 'Copy DAG bundle version' }),
    ).toBeInTheDocument();
    expect(
      await within(code).findByText(/API token github-actions/),
    ).toBeInTheDocument();
    expect(code).toHaveTextContent('Deployed DAGs');
  });

  it('tells how to deploy from a terminal or CI', async () => {
    servePage(() => ({ items: [] }));
    renderAstroPage(`${PATH}?tab=deploys`);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Deploy from a terminal or CI',
      }),
    );
    const image = await screen.findByText(/--image/);
    // Built FROM the runtime image of the Deployment's Airflow version.
    expect(image).toHaveTextContent('# Dockerfile: FROM apache/airflow:3.1.3');
    expect(image).toHaveTextContent(
      'airflow-portal deploy acme/etl --image registry.example.com/team/airflow:1.0',
    );
    expect(
      screen.getByText(/airflow-portal deploy acme\/etl --dags/),
    ).toBeInTheDocument();
    expect(screen.getByText(/type=DAG&origin=CI&checksum=/)).toHaveTextContent(
      '/api/astro/organizations/acme/deployments/etl/deploys',
    );
    expect(
      screen.getByRole('button', { name: 'Copy image deploy commands' }),
    ).toBeInTheDocument();
  });

  it('lists the deploys with who, what, why, from where and how they ended', async () => {
    servePage(() => ({ items: [d3, d2, d1] }));
    renderAstroPage(`${PATH}?tab=deploys`);
    const rows = await historyRows();
    expect(rows).toHaveLength(3);

    const [rollback, failed, image] = rows;
    // A token's deploy is named after the token when it may be listed.
    expect(
      await within(rollback).findByText('API token github-actions'),
    ).toBeInTheDocument();
    expect(rollback).toHaveTextContent('from CI');
    expect(rollback).toHaveTextContent(
      'sha256:aaaaaaaaaaaa · 20.0 KiB · 12 files',
    );
    expect(rollback).toHaveTextContent('Back to the good DAGs');
    expect(rollback).toHaveTextContent('Deployed');
    // When: in words, with the exact time next to it.
    expect(rollback.querySelector('time')).toHaveAttribute(
      'dateTime',
      d3.createdAt,
    );
    expect(rollback.cells[0]).toHaveTextContent(
      new Date(d3.createdAt).toLocaleString(),
    );

    expect(failed).toHaveTextContent('bob');
    expect(failed).toHaveTextContent('from the CLI');
    expect(failed).toHaveTextContent('1 file');
    expect(failed).toHaveTextContent(
      'FailedPods scheduler-7d9f8c6b5-x2kqp did not pick up the bundle within 600 s',
    );

    expect(image).toHaveTextContent('Image');
    expect(image).toHaveTextContent('registry.example.com/team/etl:1.0');
    expect(image).toHaveTextContent('from the API');

    // The rollback links to the deploy it went back to.
    await userEvent.click(
      within(rollback).getByRole('button', {
        name: /Rollback to the deploy of/,
      }),
    );
    expect(rowOf('d1')).toHaveFocus();
  });

  it('loads older deploys page by page', async () => {
    const cursors: Array<string | null> = [];
    servePage(() => ({ items: [] }));
    server.use(
      astroHttp.get(
        '/organizations/{org}/deployments/{dep}/deploys',
        ({ request }) => {
          const query = new URL(request.url).searchParams;
          cursors.push(query.get('cursor'));
          expect(query.get('limit')).toBe('20');
          return HttpResponse.json(
            query.get('cursor') === 'page-2'
              ? { items: [d1] }
              : { items: [d3, d2], nextCursor: 'page-2' },
          );
        },
      ),
    );
    renderAstroPage(`${PATH}?tab=deploys`);
    expect(await historyRows()).toHaveLength(2);
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(async () => expect(await historyRows()).toHaveLength(3));
    expect(rowOf('d1')).toHaveTextContent('Upgrade pandas');
    expect(cursors).toContain('page-2');
    // The last page has no cursor: nothing more to load.
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();
  });

  it('follows a deploy that rolls out until it ends, then reads the Deployment again', async () => {
    let status: Deploy['status'] = 'INITIALIZED';
    const reads = servePage(() => ({
      items: [deploy({ id: 'd9', status }), d1],
    }));
    renderAstroPage(`${PATH}?tab=deploys`);
    await historyRows();
    expect(rowOf('d9')).toHaveTextContent('Rolling out');
    const before = reads.deployment;

    status = 'DEPLOYED';
    await waitFor(
      () => expect(rowOf('d9')).toHaveTextContent('Deployed'),
      POLLED,
    );
    // The page reads the Deployment's new bundle at once, not in 20 s.
    await waitFor(() => expect(reads.deployment).toBeGreaterThan(before));
  });

  it('rolls back to an earlier deploy and shows the new one', async () => {
    let rolledBack: { deploy: string; body: unknown } | undefined;
    const d2ok = deploy({ ...d2, status: 'DEPLOYED', statusReason: undefined });
    const d4 = deploy({
      id: 'd4',
      status: 'INITIALIZED',
      rollbackOf: 'd1',
      description: 'Billing DAG broke',
      createdAt: '2026-11-20T10:00:00.000Z',
    });
    servePage(() => ({
      items: rolledBack ? [d4, d2ok, d1] : [d2ok, d1],
    }));
    server.use(
      astroHttp.post(
        '/organizations/{org}/deployments/{dep}/deploys/{deploy}/rollback',
        async ({ request, params }) => {
          rolledBack = { deploy: params.deploy, body: await request.json() };
          return HttpResponse.json(d4, { status: 201 });
        },
      ),
    );
    renderAstroPage(`${PATH}?tab=deploys`);
    await historyRows();

    // What runs now cannot be rolled back to.
    const current = within(rowOf('d2')).getByRole('button', {
      name: /Roll back to the deploy of/,
    });
    expect(current).toBeDisabled();
    expect(rowOf('d2')).toHaveTextContent('Runs now');

    await userEvent.click(
      within(rowOf('d1')).getByRole('button', {
        name: /Roll back to the deploy of/,
      }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Roll back to an earlier deploy?',
    });
    expect(dialog).toHaveTextContent('registry.example.com/team/etl:1.0');
    await userEvent.type(
      within(dialog).getByLabelText('Description'),
      'Billing DAG broke',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    );

    expect(await screen.findByText(/Rollback started/)).toBeInTheDocument();
    expect(rolledBack).toEqual({
      deploy: 'd1',
      body: { origin: 'UI', description: 'Billing DAG broke' },
    });
    const rows = await historyRows();
    expect(rows[0]).toBe(rowOf('d4'));
    expect(rows[0]).toHaveTextContent('Rolling out');
    expect(rows[0]).toHaveTextContent('Billing DAG broke');
    expect(
      within(rows[0]).getByRole('button', {
        name: /Rollback to the deploy of/,
      }),
    ).toBeInTheDocument();
  });

  it('shows why the platform refuses a rollback (409) and offers it no more', async () => {
    servePage(() => ({ items: [d3, d1] }));
    server.use(
      astroHttp.post(
        '/organizations/{org}/deployments/{dep}/deploys/{deploy}/rollback',
        () =>
          errorResponse(
            409,
            'ConflictError',
            'Deploy d1 is older than the retention period of 30 days',
          ),
      ),
    );
    renderAstroPage(`${PATH}?tab=deploys`);
    await historyRows();
    const button = within(rowOf('d1')).getByRole('button', {
      name: /Roll back to the deploy of/,
    });
    await userEvent.click(button);
    const dialog = screen.getByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The platform refused the rollback: Deploy d1 is older than the retention period of 30 days',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(button).toBeDisabled();
    expect(rowOf('d1')).toHaveTextContent('older than the retention period');
  });
});

/** Bytes that start like gzip, as a DAGs archive does. */
const ARCHIVE = new Uint8Array([
  0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x4b, 0x49, 0x4c,
  0x2f, 0x06, 0x00,
]);

function archive(bytes: Uint8Array = ARCHIVE, name = 'dags.tar.gz') {
  return new File([bytes], name, { type: 'application/gzip' });
}

async function openDeployDialog() {
  await userEvent.click(
    await screen.findByRole('button', { name: 'Deploy DAGs' }),
  );
  return screen.getByRole('dialog', { name: 'Deploy DAGs to etl' });
}

async function chooseAndDeploy(dialog: HTMLElement, file = archive()) {
  await userEvent.upload(
    within(dialog).getByLabelText('Choose the DAGs archive (.tar.gz)'),
    file,
  );
  await userEvent.click(within(dialog).getByRole('button', { name: 'Deploy' }));
}

describe('deploying DAGs from the portal', () => {
  /** A deploy the fake backend made, and a way to let its roll-out end. */
  function serveUpload(ending: Partial<Deploy>) {
    const made: {
      query?: URLSearchParams;
      type?: string | null;
      body?: Uint8Array;
    } = {};
    let end: () => void = () => {};
    const ended = new Promise<void>(resolve => {
      end = resolve;
    });
    const created = deploy({
      id: 'd9',
      status: 'INITIALIZED',
      deployedAt: undefined,
      createdAt: '2026-11-20T11:00:00.000Z',
    });
    servePage(() => ({ items: made.body ? [created] : [] }));
    server.use(
      astroHttp.post(
        '/organizations/{org}/deployments/{dep}/deploys',
        async ({ request }) => {
          made.query = new URL(request.url).searchParams;
          made.type = request.headers.get('Content-Type');
          made.body = new Uint8Array(await request.arrayBuffer());
          return HttpResponse.json(created, { status: 201 });
        },
      ),
      astroHttp.get(
        '/organizations/{org}/deployments/{dep}/deploys/{deploy}',
        async ({ params }) => {
          expect(params.deploy).toBe('d9');
          await ended;
          return HttpResponse.json({ ...created, ...ending });
        },
      ),
    );
    return { made, end };
  }

  it('uploads the archive with its SHA-256 and follows it until DEPLOYED', async () => {
    const { made, end } = serveUpload({ status: 'DEPLOYED' });
    renderAstroPage(`${PATH}?tab=deploys`);
    const dialog = await openDeployDialog();
    await userEvent.upload(
      within(dialog).getByLabelText('Choose the DAGs archive (.tar.gz)'),
      archive(),
    );
    expect(dialog).toHaveTextContent('dags.tar.gz, 16 B');
    await userEvent.type(
      within(dialog).getByLabelText('Description'),
      'Add the billing DAGs',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Deploy' }),
    );

    expect(
      await within(dialog).findByText(/Deploy created \(INITIALIZED\)/),
    ).toBeInTheDocument();
    const expected = `sha256:${createHash('sha256')
      .update(ARCHIVE)
      .digest('hex')}`;
    expect(Object.fromEntries(made.query!)).toEqual({
      type: 'DAG',
      checksum: expected,
      description: 'Add the billing DAGs',
      origin: 'UI',
    });
    expect(made.type).toBe('application/gzip');
    expect(made.body).toEqual(ARCHIVE);
    const steps = within(dialog).getByRole('list', { name: 'Deploy progress' });
    expect(steps).toHaveTextContent(`Checksum ${expected.slice(0, 19)} (done)`);
    expect(steps).toHaveTextContent('Upload of dags.tar.gz (16 B) (done)');
    expect(steps).toHaveTextContent('Roll-out to the components (in progress)');

    end();
    expect(
      await within(dialog).findByText(
        'Deployed: every component serves the new DAGs.',
        {},
        POLLED,
      ),
    ).toBeInTheDocument();
    // The history has the new deploy too.
    expect(rowOf('d9')).toBeInTheDocument();
  });

  it('shows the reason when the deploy FAILED', async () => {
    const { end } = serveUpload({
      status: 'FAILED',
      statusReason: 'Pods worker-5c8d7 did not pick up the bundle within 600 s',
    });
    renderAstroPage(`${PATH}?tab=deploys`);
    const dialog = await openDeployDialog();
    await chooseAndDeploy(dialog);
    await within(dialog).findByText(/Deploy created/);
    end();
    expect(
      await within(dialog).findByRole('alert', {}, POLLED),
    ).toHaveTextContent(
      'The deploy failed: Pods worker-5c8d7 did not pick up the bundle within 600 s',
    );
    expect(
      within(dialog).getByRole('list', { name: 'Deploy progress' }),
    ).toHaveTextContent('Roll-out to the components (failed)');
  });

  it.each([
    [
      413,
      'PayloadTooLargeError',
      'The bundle is 120 MiB; the platform takes at most 100 MiB',
      'The archive is larger than the platform accepts: The bundle is 120 MiB; the platform takes at most 100 MiB',
    ],
    [
      409,
      'ConflictError',
      'Deployment etl takes deploys only with API tokens',
      'The Deployment refused the deploy: Deployment etl takes deploys only with API tokens',
    ],
  ])(
    'shows the backend message of a %i',
    async (status, name, message, shown) => {
      servePage(() => ({ items: [] }));
      server.use(
        astroHttp.post('/organizations/{org}/deployments/{dep}/deploys', () =>
          errorResponse(status, name, message),
        ),
      );
      renderAstroPage(`${PATH}?tab=deploys`);
      const dialog = await openDeployDialog();
      await chooseAndDeploy(dialog);
      expect(await within(dialog).findByRole('alert')).toHaveTextContent(shown);
      // The archive stays chosen for another try.
      expect(dialog).toHaveTextContent('dags.tar.gz, 16 B');
      expect(
        within(dialog).getByRole('button', { name: 'Deploy' }),
      ).toBeEnabled();
    },
  );

  it('takes an archive dropped on the dialog', async () => {
    servePage(() => ({ items: [] }));
    renderAstroPage(`${PATH}?tab=deploys`);
    const dialog = await openDeployDialog();
    fireEvent.drop(within(dialog).getByTestId('astro-dags-drop-zone'), {
      dataTransfer: { files: [archive(ARCHIVE, 'release.tgz')] },
    });
    expect(dialog).toHaveTextContent('release.tgz, 16 B');
    expect(
      within(dialog).getByRole('button', { name: 'Deploy' }),
    ).toBeEnabled();
  });

  it('refuses a file that is not gzip-compressed without sending it', async () => {
    let sent = false;
    servePage(() => ({ items: [] }));
    server.use(
      astroHttp.post('/organizations/{org}/deployments/{dep}/deploys', () => {
        sent = true;
        return HttpResponse.json(deploy(), { status: 201 });
      }),
    );
    renderAstroPage(`${PATH}?tab=deploys`);
    const dialog = await openDeployDialog();
    await chooseAndDeploy(
      dialog,
      archive(new TextEncoder().encode('print("dag")'), 'dags.tar.gz'),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'dags.tar.gz is not a gzip-compressed archive',
    );
    expect(sent).toBe(false);
  });

  it.each([
    [
      'takes deploys from CI/CD only',
      { isCicdEnforced: true },
      'This Deployment takes deploys from CI/CD only',
    ],
    [
      'reads its DAGs from Git',
      {
        gitDagBundle: {
          repositoryUrl: 'https://github.com/acme/dags.git',
          ref: 'main',
          subdirectory: 'dags',
        },
      },
      'The DAGs come from Git',
    ],
  ])('offers no DAG deploy when the Deployment %s', async (_, change, why) => {
    servePage(
      () => ({ items: [] }),
      deployment({ settings: { ...deployment().settings, ...change } }),
    );
    renderAstroPage(`${PATH}?tab=deploys`);
    const button = await screen.findByRole('button', { name: 'Deploy DAGs' });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(new RegExp(why));
  });
});
