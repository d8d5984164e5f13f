import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  AstroApiSchemas,
  Deployment,
} from '@airflow-portal/plugin-astro-common';
import {
  api,
  errorResponse,
  http,
  HttpResponse,
  renderAstroPage,
  setupAstroServer,
  astroHttp,
} from '../../__testUtils__/testApp';
import { deployment, options, workspace } from '../../__testUtils__/fixtures';
import { airflowNotRunning } from '../../__testUtils__/deploymentPage';
import { TestSignals } from '../../__testUtils__/signals';

const server = setupAstroServer();
const PATH = '/astro/organizations/acme/deployments/etl';
const DEP = '/organizations/acme/deployments/etl';

function serve(
  current: Deployment = deployment(),
  monitoring: 'served' | 'missing' = 'served',
) {
  server.use(
    ...airflowNotRunning(DEP),
    astroHttp.get('/organizations/{org}/deployments/{dep}', () =>
      HttpResponse.json(current),
    ),
    astroHttp.get('/deployment-options', () => HttpResponse.json(options)),
    astroHttp.get('/organizations/{org}/deployments/{dep}/variables', () =>
      HttpResponse.json({
        environmentVariables: current.settings.environmentVariables,
        version: current.version,
      }),
    ),
    astroHttp.get('/organizations/{org}/deployments/{dep}/deploys', () =>
      HttpResponse.json({ items: [] }),
    ),
    astroHttp.get('/organizations/{org}/deployments/{dep}/tokens', () =>
      HttpResponse.json({ items: [] }),
    ),
    astroHttp.get('/organizations/{org}/workspaces/{ws}/tokens', () =>
      HttpResponse.json({ items: [] }),
    ),
    astroHttp.get('/organizations/{org}/deployments/{dep}/events', () =>
      HttpResponse.json({
        items: [
          {
            id: '2',
            organization: 'acme',
            resourceType: 'deployment',
            resourceName: 'acme/etl',
            action: 'updated',
            actor: 'user:default/alice',
            message: 'Deployment etl settings changed (generation 2)',
            createdAt: '2026-11-20T10:00:00Z',
          },
        ],
      }),
    ),
  );
  if (monitoring === 'missing') {
    for (const part of ['components', 'health', 'history', 'incidents']) {
      server.use(
        http.get(api(`${DEP}/${part}`), () =>
          errorResponse(404, 'NotFoundError', 'Not found'),
        ),
      );
    }
    return;
  }
  server.use(
    astroHttp.get('/organizations/{org}/deployments/{dep}/components', () =>
      HttpResponse.json({
        components: [
          {
            name: 'api-server',
            kind: 'Deployment',
            desiredReplicas: 1,
            readyReplicas: 1,
            state: 'Ready',
          },
          {
            name: 'scheduler',
            kind: 'Deployment',
            desiredReplicas: 1,
            readyReplicas: 1,
            state: 'Ready',
          },
          {
            name: 'triggerer',
            kind: 'Deployment',
            desiredReplicas: 1,
            readyReplicas: 0,
            state: 'Failed',
            message:
              'CrashLoopBackOff: back-off 40s restarting failed container=triggerer pod=triggerer-7d9f_astro-etl-1a2b3c(0f9e8d7c-6b5a-4c3d-9e8f-7a6b5c4d3e2f)',
          },
        ],
        workerQueues: [
          {
            name: 'default',
            minWorkers: 0,
            maxWorkers: 10,
            desiredWorkers: 2,
            readyWorkers: 1,
          },
        ],
      }),
    ),
    astroHttp.get('/organizations/{org}/deployments/{dep}/health', () =>
      HttpResponse.json({
        current: {
          timestamp: '2026-11-20T10:02:00Z',
          status: 'HEALTHY',
          components: { metadatabase: 'healthy', scheduler: 'healthy' },
        },
        history: [
          {
            timestamp: '2026-11-20T10:00:00Z',
            status: 'UNHEALTHY',
            components: {},
          },
          {
            timestamp: '2026-11-20T10:01:00Z',
            status: 'HEALTHY',
            components: {},
          },
          {
            timestamp: '2026-11-20T10:02:00Z',
            status: 'HEALTHY',
            components: {},
          },
        ],
      }),
    ),
    astroHttp.get('/organizations/{org}/deployments/{dep}/history', () =>
      HttpResponse.json({
        since: '2026-11-19T10:05:00.000Z',
        until: '2026-11-20T10:05:00.000Z',
        bucketMinutes: 5,
        retentionDays: 30,
        points: [
          {
            bucketStart: '2026-11-20T09:55:00.000Z',
            status: 'UNHEALTHY',
            observations: 5,
            healthyObservations: 2,
            dagRunsSuccess: 1,
            dagRunsFailed: 1,
          },
          {
            bucketStart: '2026-11-20T10:00:00.000Z',
            status: 'HEALTHY',
            observations: 5,
            healthyObservations: 5,
            dagRunsSuccess: 0,
            dagRunsFailed: 0,
          },
        ],
      }),
    ),
    astroHttp.get('/organizations/{org}/deployments/{dep}/incidents', () =>
      HttpResponse.json({
        items: [
          {
            id: 'i2',
            kind: 'crash-loop',
            subject: 'triggerer',
            title: 'Triggerer crashing',
            severity: 'warning',
            component: 'triggerer',
            state: 'open',
            openedAt: '2026-11-20T10:01:00Z',
            message: 'CrashLoopBackOff',
          },
          {
            id: 'i1',
            kind: 'heartbeat-missing',
            subject: 'scheduler',
            title: 'Scheduler down',
            severity: 'critical',
            state: 'resolved',
            openedAt: '2026-11-20T09:00:00Z',
            resolvedAt: '2026-11-20T09:05:00Z',
            message: 'no heartbeat',
          },
        ],
      }),
    ),
  );
}

/** Opens a tab of the Deployment page by clicking it, as a user does. */
async function openTab(name: string) {
  await userEvent.click(await screen.findByRole('tab', { name }));
}

/** The card with this title (a tab may carry the same word). */
async function findCard(title: string): Promise<HTMLElement> {
  await waitFor(() =>
    expect(
      screen
        .getAllByText(title)
        .some(element => element.closest('.MuiCard-root')),
    ).toBe(true),
  );
  return screen
    .getAllByText(title)
    .map(element => element.closest('.MuiCard-root'))
    .find(Boolean) as HTMLElement;
}

/** The titles of the cards on screen. */
function cardTitles(): string[] {
  return Array.from(document.querySelectorAll('.MuiCardHeader-title')).map(
    element => element.textContent ?? '',
  );
}

describe('DeploymentPage', () => {
  it('shows the tab named in the address, Overview for an unknown one', async () => {
    serve(deployment(), 'missing');
    const first = renderAstroPage(`${PATH}?tab=events`);
    await findCard('Events');
    expect(screen.getByRole('tab', { name: 'Events' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(cardTitles()).toEqual(['Events']);
    // Airflow / organization / workspace / this Deployment.
    const trail = screen.getByRole('navigation', { name: 'breadcrumbs' });
    expect(
      within(trail)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual(['Airflow', 'acme', deployment().workspace, 'etl']);
    expect(within(trail).getAllByRole('link')).toHaveLength(3);
    first.unmount();

    renderAstroPage(`${PATH}?tab=nonsense`);
    await findCard('Status');
    expect(screen.getByRole('tab', { name: 'Overview' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(screen.getByRole('tabpanel')).toHaveAttribute(
      'aria-labelledby',
      'astro-deployment-tab-overview',
    );
  });

  it('puts each card on exactly one tab', async () => {
    serve(deployment(), 'missing');
    renderAstroPage(PATH);
    const seen: Record<string, string[]> = {};
    for (const tab of [
      'Overview',
      'Workers & queues',
      'DAGs',
      'Deploys',
      'Incidents',
      'Environment',
      'Access',
      'Settings',
      'Events',
    ]) {
      await openTab(tab);
      await waitFor(() =>
        expect(screen.getByRole('tab', { name: tab })).toHaveAttribute(
          'aria-selected',
          'true',
        ),
      );
      await waitFor(() => expect(cardTitles().length).toBeGreaterThan(0));
      seen[tab] = cardTitles();
    }
    expect(seen).toEqual({
      Overview: ['Status', 'History'],
      'Workers & queues': ['Components and workers'],
      DAGs: ['DAGs'],
      Deploys: ['Code', 'Deploy history'],
      Incidents: ['Incidents', 'Alert rules'],
      Environment: ['Environment variables'],
      Access: ['Access', 'Your access', 'API tokens'],
      Settings: ['Settings', 'Hibernation', 'Deployment file'],
      Events: ['Events'],
    });
  });

  it('shows a spinner while the Deployment loads', async () => {
    server.use(
      astroHttp.get('/organizations/{org}/deployments/{dep}', async () => {
        await new Promise(() => {});
        return HttpResponse.json(deployment());
      }),
    );
    renderAstroPage(PATH);
    expect(
      await screen.findByRole('progressbar', {
        name: 'Loading the Deployment',
      }),
    ).toBeInTheDocument();
  });

  it('shows provisioning progress across the phases while CREATING', async () => {
    const condition = (
      type: string,
      status: 'True' | 'False',
      reason?: string,
    ) => ({
      type,
      status,
      reason,
      lastTransitionTime: '2026-11-20T10:00:00Z',
    });
    serve(
      deployment({
        status: 'CREATING',
        statusReason: 'Running migrations',
        generation: 1,
        observedGeneration: 0,
        airflowUrl: undefined,
        conditions: [
          condition('NamespaceReady', 'True'),
          condition('DatabaseReady', 'True'),
          condition('SecretsReady', 'True'),
          condition('MigrationComplete', 'False', 'Running'),
        ],
      }),
      'missing',
    );
    renderAstroPage(PATH);
    expect(
      await screen.findByText('Provisioning: 3 of 6 phases done'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', {
        name: 'Provisioning: 3 of 6 phases done',
      }),
    ).toHaveAttribute('aria-valuenow', '50');
    const phases = screen.getByLabelText('Provisioning phases');
    expect(phases).toHaveTextContent('Database (done)');
    expect(phases).toHaveTextContent('Migration');
    expect(phases).not.toHaveTextContent('Migration (done)');
    expect(phases).toHaveTextContent('Workers');
    // No Airflow UI before it is provisioned.
    const open = screen.getByRole('button', { name: 'Open Airflow' });
    expect(open).toBeDisabled();
    expect(open).toHaveAccessibleDescription(
      'No Airflow address configured for this cluster',
    );
  });

  it('shows components, workers, health and incidents of a running Deployment', async () => {
    serve();
    renderAstroPage(PATH);
    expect(
      await screen.findByRole('heading', { name: 'Nightly ETL' }),
    ).toBeInTheDocument();
    // The api-server is ready: Airflow can be opened.
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Open Airflow' }),
      ).toBeEnabled(),
    );
    // Overview: status and the health history.
    expect(
      await screen.findByRole('img', {
        name: 'Health. Healthy in 7 of 10 monitoring passes (70 %), last seen HEALTHY.',
      }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Airflow health now')).toHaveTextContent(
      'Airflow now healthy',
    );
    expect(
      screen.queryByRole('table', { name: 'Components' }),
    ).not.toBeInTheDocument();

    await openTab('Workers & queues');
    const components = await screen.findByRole('table', { name: 'Components' });
    const triggerer = within(components)
      .getByText('triggerer')
      .closest('tr') as HTMLElement;
    // Kubernetes' reason as a sentence; its raw text (pod UID and all)
    // only behind Details.
    expect(triggerer).toHaveTextContent(
      'Deployment0 / 1FailedContainer triggerer keeps crashing',
    );
    expect(triggerer).not.toHaveTextContent('0f9e8d7c');
    await userEvent.click(
      within(triggerer).getByRole('button', { name: 'Details' }),
    );
    expect(triggerer).toHaveTextContent(
      'back-off 40s restarting failed container=triggerer',
    );
    expect(
      screen.getByRole('table', { name: 'Worker queues' }),
    ).toHaveTextContent('default0 – 1021');

    await openTab('Incidents');
    expect(
      within(
        await screen.findByRole('list', { name: 'Open incidents' }),
      ).getByText('Triggerer crashing'),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('list', { name: 'Resolved incidents' }),
      ).getByText('Scheduler down'),
    ).toBeInTheDocument();

    await openTab('Events');
    expect(
      await screen.findByText('Deployment etl settings changed (generation 2)'),
    ).toBeInTheDocument();
  });

  it('shows the deploy settings on the settings card', async () => {
    serve(
      deployment({
        settings: {
          ...deployment().settings,
          isCicdEnforced: true,
          gitDagBundle: {
            repositoryUrl: 'https://github.com/acme/dags.git',
            ref: 'main',
            subdirectory: 'dags',
          },
        },
      }),
      'missing',
    );
    renderAstroPage(`${PATH}?tab=settings`);
    const card = await findCard('Settings');
    expect(card).toHaveTextContent('Deploysonly from CI/CD (API tokens)');
    expect(card).toHaveTextContent(
      'DAG SourceGit: https://github.com/acme/dags.git at main, folder dags',
    );
  });

  it('warns on a Deployment running a deprecated Airflow version', async () => {
    serve(
      deployment({
        conditions: [
          {
            type: 'AirflowVersionSupported',
            status: 'False',
            reason: 'Deprecated',
            message:
              'Airflow 2.11.0 is deprecated since 2026-04-22; upgrade to 3.1.3',
            lastTransitionTime: '2026-11-20T10:00:00Z',
          },
        ],
      }),
    );
    renderAstroPage(PATH);
    const warning = await screen.findByRole('alert', {
      name: 'Airflow version warning',
    });
    expect(warning).toHaveTextContent('Deprecated Airflow version');
    expect(warning).toHaveTextContent(
      'Airflow 2.11.0 is deprecated since 2026-04-22; upgrade to 3.1.3',
    );
  });

  it('shows no version warning for a supported release', async () => {
    serve(
      deployment({
        conditions: [
          {
            type: 'AirflowVersionSupported',
            status: 'True',
            reason: 'Supported',
            message: 'Airflow 3.1.3 is supported',
            lastTransitionTime: '2026-11-20T10:00:00Z',
          },
        ],
      }),
    );
    renderAstroPage(`${PATH}?tab=events`);
    await screen.findByText('Deployment etl settings changed (generation 2)');
    expect(
      screen.queryByRole('alert', { name: 'Airflow version warning' }),
    ).not.toBeInTheDocument();
  });

  it('shows a failed migration with its log tail and retries it', async () => {
    let retried = 0;
    serve(
      deployment({
        status: 'UNHEALTHY',
        conditions: [
          {
            type: 'DatabaseMigration',
            status: 'False',
            reason: 'MigrationFailed',
            message:
              'Moving to Airflow 3.1.3 failed: the migration Job migrate-db-abc failed (BackoffLimitExceeded); Airflow 3.0.6 keeps running.\nLast lines of the migration log:\nalembic.util.exc.CommandError: boom',
            lastTransitionTime: '2026-11-20T10:00:00Z',
          },
        ],
      }),
    );
    server.use(
      astroHttp.post(
        '/organizations/{org}/deployments/{dep}/migration/retry',
        () => {
          retried += 1;
          return HttpResponse.json(deployment(), { status: 202 });
        },
      ),
    );
    renderAstroPage(PATH);
    const failure = await screen.findByRole('alert', {
      name: 'Database migration failed',
    });
    expect(failure).toHaveTextContent('Airflow 3.0.6 keeps running');
    expect(failure).toHaveTextContent('alembic.util.exc.CommandError: boom');
    await userEvent.click(
      within(failure).getByRole('button', { name: 'Retry migration' }),
    );
    await waitFor(() => expect(retried).toBe(1));
  });

  it('says plainly when monitoring is not served yet (404)', async () => {
    serve(deployment(), 'missing');
    renderAstroPage(PATH);
    expect(
      await screen.findByText(/No history reported yet/),
    ).toBeInTheDocument();
    await openTab('Workers & queues');
    expect(
      await screen.findByText(/No components reported yet/),
    ).toBeInTheDocument();
    await openTab('Incidents');
    expect(
      await screen.findByText(/No incidents reported yet/),
    ).toBeInTheDocument();
  });

  it('explains a 403 instead of a blank page', async () => {
    server.use(
      astroHttp.get('/organizations/{org}/deployments/{dep}', () =>
        errorResponse(403, 'NotAllowedError', 'You are not allowed to read'),
      ),
    );
    renderAstroPage(PATH);
    expect(
      await screen.findByText(/You are not allowed to see Deployment etl/),
    ).toBeInTheDocument();
  });

  it('deletes only after the name is typed, then opens the workspace', async () => {
    let deleted = false;
    serve(deployment(), 'missing');
    server.use(
      astroHttp.delete('/organizations/{org}/deployments/{dep}', () => {
        deleted = true;
        return HttpResponse.json(deployment({ status: 'DELETING' }), {
          status: 202,
        });
      }),
      astroHttp.get('/organizations/{org}/workspaces/{ws}', () =>
        HttpResponse.json(workspace),
      ),
      astroHttp.get('/organizations/{org}/deployments', () =>
        HttpResponse.json({ items: [deployment({ status: 'DELETING' })] }),
      ),
    );
    renderAstroPage(PATH);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Delete' }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Delete Deployment etl?',
    });
    const confirm = within(dialog).getByRole('button', {
      name: 'Delete Deployment',
    });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText('Deployment name'),
      'et',
    );
    expect(confirm).toBeDisabled();
    await userEvent.type(within(dialog).getByLabelText('Deployment name'), 'l');
    await userEvent.click(confirm);
    expect(
      await screen.findByRole('heading', { name: 'Data Engineering' }),
    ).toBeInTheDocument();
    expect(deleted).toBe(true);
  });

  it('saves variables: secrets masked, write-only, kept when left empty', async () => {
    let put: any;
    serve(deployment(), 'missing');
    server.use(
      astroHttp.put(
        '/organizations/{org}/deployments/{dep}/variables',
        async ({ request }) => {
          put = await request.json();
          return HttpResponse.json({
            environmentVariables: [
              { key: 'LOG_LEVEL', value: 'info', secret: false },
              { key: 'API_TOKEN', secret: true },
              { key: 'DB_PASSWORD', secret: true },
            ],
            version: 2,
          });
        },
      ),
    );
    renderAstroPage(`${PATH}?tab=environment`);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Add variable' }),
    );
    const row = screen.getByRole('group', { name: 'Variable 3' });
    await userEvent.type(within(row).getByLabelText('Key'), 'DB_PASSWORD');
    await userEvent.click(
      within(row).getByRole('checkbox', { name: 'Secret' }),
    );
    // A new secret needs a value, worded as the API words it.
    expect(
      within(row).getByText('is required for a new secret variable'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Save variables' }),
    ).toBeDisabled();
    await userEvent.type(within(row).getByLabelText('Value'), 'hunter2');
    await userEvent.click(
      screen.getByRole('button', { name: 'Save variables' }),
    );

    expect(put).toEqual({
      version: 1,
      environmentVariables: [
        { key: 'LOG_LEVEL', value: 'info', secret: false },
        { key: 'API_TOKEN', secret: true },
        { key: 'DB_PASSWORD', value: 'hunter2', secret: true },
      ],
    });
    // After saving, the secret is stored: masked, empty, never shown.
    const saved = await screen.findByRole('group', { name: 'Variable 3' });
    expect(within(saved).getByLabelText('Value')).toHaveValue('');
    expect(within(saved).getByLabelText('Value')).toHaveAttribute(
      'type',
      'password',
    );
    expect(document.body).not.toHaveTextContent('hunter2');
    expect(
      screen.getByText(/Saved. The platform rolls the variables out/),
    ).toBeInTheDocument();
  });

  it('reports variables changed by someone else (409)', async () => {
    serve(deployment(), 'missing');
    server.use(
      astroHttp.put('/organizations/{org}/deployments/{dep}/variables', () =>
        errorResponse(409, 'ConflictError', 'version 1 is stale'),
      ),
    );
    renderAstroPage(`${PATH}?tab=environment`);
    const first = await screen.findByRole('group', { name: 'Variable 1' });
    await userEvent.type(within(first).getByLabelText('Value'), '-debug');
    await userEvent.click(
      screen.getByRole('button', { name: 'Save variables' }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('changed by someone else');
    expect(within(alert).getByRole('button', { name: 'Reload' })).toBeEnabled();
  });

  it('names the missing permission when saving variables is refused (403)', async () => {
    serve(deployment(), 'missing');
    server.use(
      astroHttp.put('/organizations/{org}/deployments/{dep}/variables', () =>
        errorResponse(
          403,
          'NotAllowedError',
          'The permission policy denies astro.deployment.variables.update on acme/etl',
        ),
      ),
    );
    renderAstroPage(`${PATH}?tab=environment`);
    const first = await screen.findByRole('group', { name: 'Variable 1' });
    await userEvent.type(within(first).getByLabelText('Value'), '-debug');
    await userEvent.click(
      screen.getByRole('button', { name: 'Save variables' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The variables were not saved: You need astro.deployment.variables.update on acme/etl',
    );
  });

  it('shows who has access to the Deployment and grants Deployment admin only', async () => {
    serve(deployment(), 'missing');
    const puts: unknown[] = [];
    server.use(
      astroHttp.get('/organizations/{org}/deployments/{dep}/roles', () =>
        HttpResponse.json({
          items: [
            {
              principal: 'user:default/carol',
              role: 'DEPLOYMENT_ADMIN',
              scope: {
                kind: 'deployment',
                organization: 'acme',
                deployment: 'etl',
              },
              createdBy: 'user:default/alice',
              createdAt: '2026-12-02T10:00:00.000Z',
            },
          ],
        }),
      ),
      astroHttp.put(
        '/organizations/{org}/deployments/{dep}/roles',
        async ({ request }) => {
          const body = await request.json();
          puts.push(body);
          return HttpResponse.json({
            ...body,
            scope: {
              kind: 'deployment',
              organization: 'acme',
              deployment: 'etl',
            },
            createdBy: 'user:default/alice',
            createdAt: '2026-12-02T10:00:00.000Z',
          });
        },
      ),
    );
    renderAstroPage(`${PATH}?tab=access`);
    const table = await screen.findByRole('table', {
      name: 'Role bindings of Deployment acme/etl',
    });
    expect(
      within(table).getByText('user:default/carol').closest('tr'),
    ).toHaveTextContent('Deployment admin');
    expect(
      await screen.findByText(
        /You hold no role that applies to this Deployment/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Add member' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: /^Role/ }),
    );
    const roles = await screen.findAllByRole('option');
    expect(roles).toHaveLength(1);
    expect(roles[0]).toHaveTextContent('Deployment admin');
    await userEvent.click(roles[0]);
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /User or group/ }),
      'user:dave',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Grant role' }),
    );
    await waitFor(() =>
      expect(puts).toEqual([
        { principal: 'user:default/dave', role: 'DEPLOYMENT_ADMIN' },
      ]),
    );
  });

  it('reads the Deployment, its components and incidents again when a signal arrives, and says it is live', async () => {
    serve();
    let current = deployment();
    let incidents: AstroApiSchemas['Incident'][] = [];
    const reads = { deployment: 0, components: 0, incidents: 0 };
    server.use(
      astroHttp.get('/organizations/{org}/deployments/{dep}', () => {
        reads.deployment += 1;
        return HttpResponse.json(current);
      }),
      astroHttp.get('/organizations/{org}/deployments/{dep}/components', () => {
        reads.components += 1;
        return HttpResponse.json({ components: [], workerQueues: [] });
      }),
      astroHttp.get('/organizations/{org}/deployments/{dep}/incidents', () => {
        reads.incidents += 1;
        return HttpResponse.json({ items: incidents });
      }),
    );
    const signals = new TestSignals();
    renderAstroPage(`${PATH}?tab=incidents`, { signals });
    const heading = await screen.findByRole('heading', { name: 'Nightly ETL' });
    // The title with the status and the live indicator next to it.
    const header = heading.parentElement!.parentElement!;
    expect(within(header).getByText('Healthy')).toBeInTheDocument();
    await screen.findByText(/No incidents/);
    await waitFor(() =>
      expect(reads).toEqual({ deployment: 1, components: 1, incidents: 1 }),
    );
    expect(screen.queryByTestId('live-updates')).not.toBeInTheDocument();
    expect(signals.channels()).toContain('astro:deployment:acme/etl');

    act(() => signals.sendLive());
    expect(await within(header).findByTestId('live-updates')).toHaveTextContent(
      'Live',
    );
    // Connecting reads once, for a change made while the socket opened.
    await waitFor(() => expect(reads.deployment).toBe(2));
    await waitFor(() => expect(reads.incidents).toBe(2));
    // (Components are read by the Open Airflow button, on every tab.)
    await waitFor(() =>
      expect(reads).toEqual({ deployment: 2, components: 2, incidents: 2 }),
    );

    current = deployment({
      status: 'UNHEALTHY',
      statusReason: 'scheduler: CrashLoopBackOff',
    });
    incidents = [
      {
        id: 'i3',
        kind: 'crash-loop',
        subject: 'scheduler',
        title: 'Scheduler crashing',
        severity: 'critical',
        component: 'scheduler',
        state: 'open',
        openedAt: '2026-11-20T10:05:00Z',
        message: 'CrashLoopBackOff',
      },
    ];
    act(() =>
      signals.send('astro:deployment:acme/etl', {
        kinds: ['incident', 'status'],
      }),
    );
    expect(await within(header).findByText('Unhealthy')).toBeInTheDocument();
    expect(
      await within(
        await screen.findByRole('list', { name: 'Open incidents' }),
      ).findByText('Scheduler crashing'),
    ).toBeInTheDocument();
    // One read each per signal, not a poll.
    await waitFor(() =>
      expect(reads).toEqual({ deployment: 3, components: 3, incidents: 3 }),
    );
  });
});
