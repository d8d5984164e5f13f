import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  api,
  errorResponse,
  http,
  HttpResponse,
  renderAstroPage,
  setupAstroServer,
  astroHttp,
} from '../../__testUtils__/testApp';
import { deployment, options } from '../../__testUtils__/fixtures';

const server = setupAstroServer();
const PATH = '/astro/organizations/acme/deployments/etl/edit';
const WS = deployment().workspace;

function serve(current = deployment({ version: 4 })) {
  server.use(
    astroHttp.get('/deployment-options', () => HttpResponse.json(options)),
    astroHttp.get('/organizations/{org}/deployments/{dep}', () =>
      HttpResponse.json(current),
    ),
  );
}

async function changeMaxWorkers(value: string) {
  const queue = await screen.findByRole('group', {
    name: 'Worker queue default',
  });
  const max = within(queue).getByLabelText('Maximum workers');
  await userEvent.clear(max);
  await userEvent.type(max, value);
}

describe('EditDeploymentPage', () => {
  it('keeps the organization and the workspace in the breadcrumbs', async () => {
    serve();
    renderAstroPage(PATH);
    await screen.findByRole('form', { name: 'Edit Deployment' });
    const trail = screen.getByRole('navigation', { name: 'breadcrumbs' });
    expect(
      within(trail)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual(['Airflow', 'acme', WS, 'etl', 'Edit settings']);
    expect(within(trail).getByRole('link', { name: WS })).toHaveAttribute(
      'href',
      `/astro/organizations/acme/workspaces/${WS}`,
    );
    expect(within(trail).getByRole('link', { name: 'etl' })).toHaveAttribute(
      'href',
      '/astro/organizations/acme/deployments/etl',
    );
  });

  it('fills the form with the current settings, secrets masked and empty', async () => {
    serve();
    renderAstroPage(PATH);
    const secret = await screen.findByRole('group', { name: 'Variable 2' });
    expect(within(secret).getByLabelText('Key')).toHaveValue('API_TOKEN');
    const value = within(secret).getByLabelText('Value');
    expect(value).toHaveValue('');
    expect(value).toHaveAttribute('type', 'password');
    expect(
      within(secret).getByText(/Leave empty to keep the current value/),
    ).toBeInTheDocument();
  });

  it('previews the change, then saves it with the version it was read at', async () => {
    let body: any;
    serve();
    server.use(
      astroHttp.patch(
        '/organizations/{org}/deployments/{dep}',
        async ({ request }) => {
          body = await request.json();
          return HttpResponse.json(deployment({ version: 5 }));
        },
      ),
      // The Deployment page opens after saving.
      http.get(api('/organizations/acme/deployments/etl/*'), () =>
        errorResponse(404, 'NotFoundError', 'not needed here'),
      ),
      astroHttp.get('/organizations/{org}/workspaces/{ws}/tokens', () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    renderAstroPage(PATH);
    await changeMaxWorkers('12');
    await userEvent.click(
      screen.getByRole('button', { name: 'Review changes' }),
    );

    const dialog = await screen.findByRole('dialog', {
      name: 'Review changes',
    });
    const rows = within(dialog).getAllByRole('row');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveTextContent('Queue "default": maximum workers1012');

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save changes' }),
    );
    expect(
      await screen.findByRole('heading', { name: 'Nightly ETL' }),
    ).toBeInTheDocument();
    expect(body).toMatchObject({
      version: 4,
      settings: {
        workerQueues: [{ name: 'default', maxWorkers: 12 }],
        // The stored secret is sent without a value: the backend keeps it.
        environmentVariables: [
          { key: 'LOG_LEVEL', value: 'info', secret: false },
          { key: 'API_TOKEN', secret: true },
        ],
      },
    });
    expect(body.settings.environmentVariables[1]).not.toHaveProperty('value');
  });

  it('reports a change by someone else (409) and reloads on request', async () => {
    serve();
    server.use(
      astroHttp.patch('/organizations/{org}/deployments/{dep}', () =>
        errorResponse(
          409,
          'ConflictError',
          'version 4 is stale; the current version is 5',
        ),
      ),
    );
    renderAstroPage(PATH);
    await changeMaxWorkers('12');
    await userEvent.click(
      screen.getByRole('button', { name: 'Review changes' }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Save changes' }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Changed by someone else');
    expect(alert).toHaveTextContent('version 4 is stale');

    // Someone else set max workers to 20 meanwhile.
    serve(
      deployment({
        version: 5,
        settings: {
          ...deployment().settings,
          workerQueues: [
            { ...deployment().settings.workerQueues[0], maxWorkers: 20 },
          ],
        },
      }),
    );
    await userEvent.click(
      within(alert).getByRole('button', { name: 'Reload' }),
    );
    const queue = screen.getByRole('group', { name: 'Worker queue default' });
    expect(await within(queue).findByDisplayValue('20')).toBeInTheDocument();
    expect(
      screen.queryByText('Changed by someone else'),
    ).not.toBeInTheDocument();
  });

  it('does not open the preview while a field is invalid', async () => {
    serve();
    renderAstroPage(PATH);
    await changeMaxWorkers('0');
    expect(screen.getByText('must be at least 1')).toBeInTheDocument();
    // Typing elsewhere first: the focus has to move back to the field.
    await userEvent.click(screen.getByLabelText('Title'));
    await userEvent.click(
      screen.getByRole('button', { name: 'Review changes' }),
    );
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Some fields need fixing');
    expect(alert).toHaveTextContent(
      'Queue “default”: Maximum workers must be at least 1',
    );
    const queue = screen.getByRole('group', { name: 'Worker queue default' });
    expect(within(queue).getByLabelText('Maximum workers')).toHaveFocus();

    await changeMaxWorkers('4');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('focuses the worker type picker when the API refuses it (400)', async () => {
    serve();
    server.use(
      astroHttp.patch('/organizations/{org}/deployments/{dep}', () =>
        errorResponse(
          400,
          'InputError',
          'settings.workerQueues[0].workerSize: must be one of A5, A10',
        ),
      ),
    );
    renderAstroPage(PATH);
    await changeMaxWorkers('12');
    await userEvent.click(
      screen.getByRole('button', { name: 'Review changes' }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Save changes' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    const queue = screen.getByRole('group', { name: 'Worker queue default' });
    const picker = within(queue).getByRole('button', { name: /Worker type/ });
    await waitFor(() => expect(picker).toHaveFocus());
    expect(picker).toHaveAttribute('aria-invalid', 'true');
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The change was not saved');
    expect(alert).toHaveTextContent(
      'Queue “default”: Worker type must be one of A5, A10',
    );
  });

  it('edits the quota: previewed, sent, and a quota too small shows at its field', async () => {
    const sent: any[] = [];
    serve();
    server.use(
      astroHttp.patch(
        '/organizations/{org}/deployments/{dep}',
        async ({ request }) => {
          sent.push(await request.json());
          return errorResponse(
            400,
            'InputError',
            'settings.resourceQuota.memory: 8Gi is less than the 40Gi the settings need at full scale; needed at full scale: components 4 CPU / 8Gi (settings.schedulerSize). Raise the quota or lower those settings.',
          );
        },
      ),
    );
    renderAstroPage(PATH);
    const memory = await screen.findByLabelText('Quota memory');
    expect(memory).toHaveValue('40Gi');
    await userEvent.clear(memory);
    await userEvent.type(memory, '8Gi');
    await userEvent.click(
      screen.getByRole('button', { name: 'Review changes' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Review changes',
    });
    expect(within(dialog).getAllByRole('row')[1]).toHaveTextContent(
      'Quota memory40Gi8Gi',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save changes' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(memory).toHaveFocus();
    expect(memory).toHaveAccessibleDescription(
      '8Gi is less than the 40Gi the settings need at full scale',
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Quota memory: 8Gi is less than the 40Gi the settings need at full scale',
    );
    expect(sent[0].settings.resourceQuota).toEqual({
      cpu: '20',
      memory: '8Gi',
    });
  });

  it('explains a Deployment that does not exist', async () => {
    server.use(
      astroHttp.get('/deployment-options', () => HttpResponse.json(options)),
      astroHttp.get('/organizations/{org}/deployments/{dep}', () =>
        errorResponse(404, 'NotFoundError', 'No Deployment etl in acme'),
      ),
    );
    renderAstroPage(PATH);
    expect(
      await screen.findByText(/Could not find Deployment etl/),
    ).toBeInTheDocument();
  });

  describe('deploy settings', () => {
    const withGit = deployment({
      version: 4,
      settings: {
        ...deployment().settings,
        isCicdEnforced: true,
        gitDagBundle: {
          repositoryUrl: 'https://github.com/acme/dags.git',
          ref: 'main',
          subdirectory: 'dags',
          credentialsVariable: 'API_TOKEN',
        },
      },
    });

    function serveSave() {
      const sent: { body?: any } = {};
      server.use(
        astroHttp.patch(
          '/organizations/{org}/deployments/{dep}',
          async ({ request }) => {
            sent.body = await request.json();
            return HttpResponse.json(deployment({ version: 5 }));
          },
        ),
        http.get(api('/organizations/acme/deployments/etl/*'), () =>
          errorResponse(404, 'NotFoundError', 'not needed here'),
        ),
        astroHttp.get('/organizations/{org}/workspaces/{ws}/tokens', () =>
          HttpResponse.json({ items: [] }),
        ),
      );
      return sent;
    }

    async function reviewAndSave() {
      await userEvent.click(
        screen.getByRole('button', { name: 'Review changes' }),
      );
      const dialog = await screen.findByRole('dialog', {
        name: 'Review changes',
      });
      const preview = dialog.textContent;
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Save changes' }),
      );
      await screen.findByRole('heading', { name: 'Nightly ETL' });
      return preview;
    }

    it('shows the stored values and saves what changed', async () => {
      serve(withGit);
      const sent = serveSave();
      renderAstroPage(PATH);
      const cicd = await screen.findByRole('checkbox', {
        name: 'Deploys only from CI/CD',
      });
      expect(cicd).toBeChecked();
      expect(cicd).toHaveAccessibleDescription(
        /accepts deploys made with an API token only/,
      );
      expect(
        screen.getByRole('checkbox', {
          name: 'Take the DAGs from a Git repository',
        }),
      ).toBeChecked();
      expect(screen.getByLabelText(/^Repository URL/)).toHaveValue(
        'https://github.com/acme/dags.git',
      );
      expect(screen.getByLabelText('Folder of the DAGs')).toHaveValue('dags');
      expect(screen.getByLabelText('Credentials')).toHaveTextContent(
        'API_TOKEN',
      );
      // Only secret variables hold credentials.
      await userEvent.click(screen.getByLabelText('Credentials'));
      const choices = within(screen.getByRole('listbox'))
        .getAllByRole('option')
        .map(option => option.textContent);
      expect(choices).toEqual(['None (public repository)', 'API_TOKEN']);
      await userEvent.click(
        within(screen.getByRole('listbox')).getByText('API_TOKEN'),
      );

      await userEvent.click(cicd);
      const ref = screen.getByLabelText('Branch or tag');
      await userEvent.clear(ref);
      await userEvent.type(ref, 'release');
      const preview = await reviewAndSave();
      expect(preview).toContain('Deploys only from CI/CD');
      expect(preview).toContain('https://github.com/acme/dags.git at release');
      expect(sent.body.settings).toMatchObject({
        isCicdEnforced: false,
        gitDagBundle: {
          repositoryUrl: 'https://github.com/acme/dags.git',
          ref: 'release',
          subdirectory: 'dags',
          credentialsVariable: 'API_TOKEN',
        },
      });
    });

    it('removes the Git DAG bundle when switched off', async () => {
      serve(withGit);
      const sent = serveSave();
      renderAstroPage(PATH);
      await userEvent.click(
        await screen.findByRole('checkbox', {
          name: 'Take the DAGs from a Git repository',
        }),
      );
      expect(
        screen.queryByLabelText(/^Repository URL/),
      ).not.toBeInTheDocument();
      await reviewAndSave();
      expect(sent.body.settings.gitDagBundle).toBeNull();
    });

    it('validates the Git fields inline with the shared schema', async () => {
      serve();
      renderAstroPage(PATH);
      await userEvent.click(
        await screen.findByRole('checkbox', {
          name: 'Take the DAGs from a Git repository',
        }),
      );
      const url = screen.getByLabelText(/^Repository URL/);
      await userEvent.type(url, 'ftp://example.com/dags');
      expect(url).toHaveAccessibleDescription(/must be a Git URL/);
      await userEvent.type(screen.getByLabelText('Folder of the DAGs'), '../x');
      expect(
        screen.getByLabelText('Folder of the DAGs'),
      ).toHaveAccessibleDescription(/must be a relative path/);
    });
  });
});
