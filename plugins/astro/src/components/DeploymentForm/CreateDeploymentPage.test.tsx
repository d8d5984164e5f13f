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
import {
  cluster,
  deployment,
  options,
  workspace,
} from '../../__testUtils__/fixtures';

const server = setupAstroServer();
const PATH = '/astro/organizations/acme/deployments/new?workspace=data-eng';

// jsdom does not scroll; record what the form brings into view instead.
const scrolledTo: Element[] = [];
beforeAll(() => {
  Element.prototype.scrollIntoView = function scrollIntoView(this: Element) {
    scrolledTo.push(this);
  };
});
beforeEach(() => {
  scrolledTo.length = 0;
});
afterAll(() => {
  delete (Element.prototype as Partial<Element>).scrollIntoView;
});

function serveForm() {
  server.use(
    astroHttp.get('/deployment-options', () => HttpResponse.json(options)),
    astroHttp.get('/organizations/{org}/workspaces', () =>
      HttpResponse.json({ items: [workspace] }),
    ),
    astroHttp.get('/clusters', () => HttpResponse.json({ items: [cluster] })),
  );
}

async function openForm() {
  serveForm();
  renderAstroPage(PATH);
  return screen.findByRole('form', { name: 'Create Deployment' });
}

describe('CreateDeploymentPage', () => {
  it('pre-fills the defaults the backend serves, with scheduler resources', async () => {
    await openForm();
    expect(screen.getByLabelText(/Workspace/)).toHaveTextContent(
      'Data Engineering',
    );
    expect(screen.getByLabelText('Airflow version')).toHaveTextContent(
      '3.1.3 (newest, default)',
    );
    expect(screen.getByRole('radio', { name: 'Celery' })).toBeChecked();
    expect(screen.getByLabelText('Scheduler size')).toHaveTextContent(
      'Small (1 CPU, 2Gi memory)',
    );
    expect(
      screen.getByText('1 CPU and 2Gi memory per scheduler'),
    ).toBeInTheDocument();
    const queue = screen.getByRole('group', { name: 'Worker queue default' });
    expect(within(queue).getByLabelText('Minimum workers')).toHaveValue(0);
    expect(within(queue).getByLabelText('Maximum workers')).toHaveValue(10);
    expect(within(queue).getByLabelText('Concurrency')).toHaveValue(5);
    expect(
      within(queue).getByRole('radio', { name: 'Default queue' }),
    ).toBeChecked();
    expect(
      screen.getByLabelText('Grace period for running tasks (seconds)'),
    ).toHaveValue(86400);
  });

  it('marks deprecated releases and offers no end-of-life one in the version picker', async () => {
    serveForm();
    server.use(
      astroHttp.get('/deployment-options', () =>
        HttpResponse.json({
          ...options,
          runtimeReleases: [
            ...options.runtimeReleases.map(r =>
              r.airflowVersion === '2.11.0'
                ? { ...r, deprecated: true, deprecatedSince: '2026-04-22' }
                : r,
            ),
            {
              airflowVersion: '2.10.5',
              image: 'apache/airflow:2.10.5',
              isDefault: false,
              deprecated: true,
              endOfLife: true,
            },
          ],
        }),
      ),
    );
    renderAstroPage(PATH);
    await screen.findByRole('form', { name: 'Create Deployment' });
    await userEvent.click(screen.getByLabelText('Airflow version'));
    const listbox = await screen.findByRole('listbox');
    const deprecated = within(listbox).getByRole('option', {
      name: '2.11.0 (deprecated)',
    });
    expect(deprecated).not.toHaveAttribute('aria-disabled', 'true');
    expect(
      within(listbox).getByRole('option', { name: '2.10.5 (end of life)' }),
    ).toHaveAttribute('aria-disabled', 'true');
    await userEvent.click(deprecated);
    expect(
      await screen.findByText(
        'Image apache/airflow:2.11.0. Deprecated since 2026-04-22: plan an upgrade.',
      ),
    ).toBeInTheDocument();
  });

  it('validates inline with the messages the API gives', async () => {
    await openForm();
    const queue = screen.getByRole('group', { name: 'Worker queue default' });
    const max = within(queue).getByLabelText('Maximum workers');
    await userEvent.clear(max);
    await userEvent.type(max, '31');
    expect(within(queue).getByText('must be at most 30')).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText(/^Name/), 'Bad Name');
    await userEvent.tab();
    expect(
      screen.getByText(/must consist of lowercase letters, digits and "-"/),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Create Deployment' }),
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Some fields need fixing');
    // Named by the labels of the form, in its order.
    expect(
      within(alert)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      expect.stringMatching(/^Name must consist of lowercase letters/),
      'Queue “default”: Maximum workers must be at most 30',
    ]);
  });

  it('focuses the first invalid field after a failed submit and drops the summary once all is fixed', async () => {
    await openForm();
    await userEvent.type(screen.getByLabelText(/^Name/), 'etl');
    const queue = screen.getByRole('group', { name: 'Worker queue default' });
    const min = within(queue).getByLabelText('Minimum workers');
    const max = within(queue).getByLabelText('Maximum workers');
    await userEvent.clear(min);
    await userEvent.type(min, '8');
    await userEvent.clear(max);
    await userEvent.type(max, '5');
    // The submit button is at the bottom, far from the field.
    await userEvent.click(
      screen.getByRole('button', { name: 'Create Deployment' }),
    );

    expect(max).toHaveFocus();
    expect(scrolledTo).toEqual([max]);
    expect(max).toHaveAccessibleDescription(
      'must be at least the minimum workers (8)',
    );
    const alert = screen.getByRole('alert');
    expect(within(alert).getAllByRole('listitem')).toHaveLength(1);
    expect(alert).toHaveTextContent(
      'Queue “default”: Maximum workers must be at least the minimum workers (8)',
    );

    await userEvent.clear(max);
    await userEvent.type(max, '9');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(max).toHaveAccessibleDescription('1–30');
  });

  it('edits worker queues as rows with one default', async () => {
    await openForm();
    await userEvent.click(
      screen.getByRole('button', { name: 'Add worker queue' }),
    );
    const second = screen.getByRole('group', { name: 'Worker queue 2' });
    await userEvent.type(within(second).getByLabelText(/Queue name/), 'heavy');
    const heavy = screen.getByRole('group', { name: 'Worker queue heavy' });
    await userEvent.click(
      within(heavy).getByRole('radio', { name: 'Default queue' }),
    );
    expect(
      within(
        screen.getByRole('group', { name: 'Worker queue default' }),
      ).getByRole('radio', { name: 'Default queue' }),
    ).not.toBeChecked();
    await userEvent.click(
      screen.getByRole('button', { name: 'Remove worker queue default' }),
    );
    expect(
      screen.queryByRole('group', { name: 'Worker queue default' }),
    ).not.toBeInTheDocument();
  });

  it('creates the Deployment and opens its page', async () => {
    let body: any;
    let key: string | null = null;
    server.use(
      astroHttp.post(
        '/organizations/{org}/deployments',
        async ({ request }) => {
          body = await request.json();
          key = request.headers.get('Idempotency-Key');
          return HttpResponse.json(
            deployment({ name: 'etl', status: 'CREATING' }),
            { status: 201 },
          );
        },
      ),
      astroHttp.get('/organizations/{org}/deployments/{dep}', () =>
        HttpResponse.json(deployment({ name: 'etl', status: 'CREATING' })),
      ),
      http.get(api('/organizations/acme/deployments/etl/*'), () =>
        errorResponse(404, 'NotFoundError', 'not yet'),
      ),
      astroHttp.get('/organizations/{org}/workspaces/{ws}/tokens', () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    await openForm();
    await userEvent.type(screen.getByLabelText(/^Name/), 'etl');
    await userEvent.click(screen.getByRole('button', { name: 'Add variable' }));
    const variable = screen.getByRole('group', { name: 'Variable 1' });
    await userEvent.type(within(variable).getByLabelText('Key'), 'TOKEN');
    await userEvent.click(
      within(variable).getByRole('checkbox', { name: 'Secret' }),
    );
    const value = within(variable).getByLabelText('Value');
    // Secret values are typed into a masked field.
    expect(value).toHaveAttribute('type', 'password');
    await userEvent.type(value, 's3cret');
    await userEvent.click(
      screen.getByRole('button', { name: 'Create Deployment' }),
    );

    expect(
      await screen.findByRole('heading', { name: 'Nightly ETL' }),
    ).toBeInTheDocument();
    // A snackbar says it worked.
    expect(
      await screen.findByText(
        'Deployment etl created; it is being provisioned on its cluster.',
      ),
    ).toBeInTheDocument();
    expect(key).toBeTruthy();
    expect(body).toMatchObject({
      name: 'etl',
      workspace: 'data-eng',
      settings: {
        executor: 'CELERY',
        schedulerSize: 'SMALL',
        workerQueues: [{ name: 'default', isDefault: true, maxWorkers: 10 }],
        environmentVariables: [{ key: 'TOKEN', value: 's3cret', secret: true }],
      },
    });
  });

  it('goes back to the workspace on Cancel, creating nothing', async () => {
    let posted = false;
    server.use(
      astroHttp.post('/organizations/{org}/deployments', () => {
        posted = true;
        return HttpResponse.json(deployment(), { status: 201 });
      }),
      astroHttp.get('/organizations/{org}/workspaces/{ws}', () =>
        HttpResponse.json(workspace),
      ),
      astroHttp.get('/organizations/{org}/deployments', () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    await openForm();
    await userEvent.type(screen.getByLabelText(/^Name/), 'etl');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(
      await screen.findByRole('heading', { name: 'Data Engineering' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('form', { name: 'Create Deployment' }),
    ).not.toBeInTheDocument();
    expect(posted).toBe(false);
  });

  it('shows the API message at the name when the name is taken (409)', async () => {
    server.use(
      astroHttp.post('/organizations/{org}/deployments', () =>
        errorResponse(409, 'ConflictError', 'Deployment etl already exists'),
      ),
    );
    await openForm();
    await userEvent.type(screen.getByLabelText(/^Name/), 'etl');
    await userEvent.click(
      screen.getByRole('button', { name: 'Create Deployment' }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The Deployment was not created');
    expect(alert).toHaveTextContent('Name: Deployment etl already exists');
    const name = screen.getByLabelText(/^Name/);
    expect(name).toHaveAccessibleDescription('Deployment etl already exists');
    expect(name).toHaveFocus();

    // Another name may be free: the summary goes with the first key stroke.
    await userEvent.type(name, '2');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('puts validation errors of the API at their fields (400)', async () => {
    server.use(
      astroHttp.post('/organizations/{org}/deployments', () =>
        errorResponse(
          400,
          'InputError',
          'settings.workerQueues[0].concurrency: must be at most 64',
        ),
      ),
    );
    await openForm();
    await userEvent.type(screen.getByLabelText(/^Name/), 'etl');
    await userEvent.click(
      screen.getByRole('button', { name: 'Create Deployment' }),
    );
    const queue = screen.getByRole('group', { name: 'Worker queue default' });
    expect(
      await within(queue).findByText('must be at most 64'),
    ).toBeInTheDocument();
    expect(within(queue).getByLabelText('Concurrency')).toHaveFocus();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Queue “default”: Concurrency must be at most 64',
    );
  });

  it('sends the pod-launch switch and shows why a quota is too small (400)', async () => {
    const message =
      'settings.resourceQuota.cpu: 40 is less than the 52850m CPU the settings need at full scale; needed at full scale: components 4800m CPU / 9.5Gi (settings.schedulerSize, settings.highAvailability) + workers of queue "default" (20 × A5) 22 CPU / 45Gi (settings.workerQueues[0].maxWorkers, settings.workerQueues[0].workerSize). Raise the quota or lower those settings.';
    const sent: { body?: any } = {};
    server.use(
      astroHttp.post(
        '/organizations/{org}/deployments',
        async ({ request }) => {
          sent.body = await request.json();
          return errorResponse(400, 'InputError', message);
        },
      ),
    );
    await openForm();
    await userEvent.type(screen.getByLabelText(/^Name/), 'etl');
    const kpo = screen.getByRole('checkbox', {
      name: 'Tasks may launch pods (KubernetesPodOperator)',
    });
    expect(kpo).not.toBeChecked();
    expect(kpo).toHaveAccessibleDescription(/no Kubernetes API access/);
    await userEvent.click(kpo);
    await userEvent.click(
      screen.getByRole('button', { name: 'Create Deployment' }),
    );
    const quotaCpu = await screen.findByLabelText('Quota CPU');
    // The quota fields come after the queues: the first one marked has focus.
    await waitFor(() => expect(quotaCpu).toHaveFocus());
    expect(quotaCpu).toHaveAccessibleDescription(
      '40 is less than the 52850m CPU the settings need at full scale',
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent(
      'Quota CPU: 40 is less than the 52850m CPU the settings need at full scale',
    );
    // The breakdown names no field; the summary keeps it.
    expect(alert).toHaveTextContent(
      'needed at full scale: components 4800m CPU / 9.5Gi',
    );
    expect(sent.body.settings.kubernetesPodOperator).toBe(true);
    expect(sent.body.settings.resourceQuota).toEqual({
      cpu: '20',
      memory: '40Gi',
    });

    await userEvent.clear(quotaCpu);
    await userEvent.type(quotaCpu, '60');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('sets the quota and the task pod size, with the options as help', async () => {
    let body: any;
    server.use(
      astroHttp.post(
        '/organizations/{org}/deployments',
        async ({ request }) => {
          body = await request.json();
          return errorResponse(503, 'ServiceUnavailableError', 'try later');
        },
      ),
    );
    await openForm();
    await userEvent.type(screen.getByLabelText(/^Name/), 'etl');
    const cpu = screen.getByLabelText('Quota CPU');
    expect(cpu).toHaveValue('20');
    expect(cpu).toHaveAccessibleDescription(/default 20, at most 200$/);
    expect(
      screen.getByLabelText('Task pod memory'),
    ).toHaveAccessibleDescription(/default 1Gi, at most 16Gi$/);
    await userEvent.clear(cpu);
    await userEvent.type(cpu, '2 cores');
    expect(cpu).toHaveAccessibleDescription(
      'must be a positive CPU quantity such as "1" or "500m"',
    );
    await userEvent.clear(cpu);
    await userEvent.type(cpu, '48');
    const podCpu = screen.getByLabelText('Task pod CPU');
    await userEvent.clear(podCpu);
    await userEvent.type(podCpu, '250m');
    await userEvent.click(
      screen.getByRole('button', { name: 'Create Deployment' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The Deployment was not created: try later',
    );
    expect(body.settings).toMatchObject({
      resourceQuota: { cpu: '48', memory: '40Gi' },
      defaultTaskPodSize: { cpu: '250m', memory: '1Gi' },
    });
  });

  it('explains when the options cannot be loaded', async () => {
    server.use(
      astroHttp.get('/deployment-options', () =>
        errorResponse(500, 'Error', 'boom'),
      ),
      astroHttp.get('/organizations/{org}/workspaces', () =>
        HttpResponse.json({ items: [workspace] }),
      ),
      astroHttp.get('/clusters', () => HttpResponse.json({ items: [] })),
    );
    renderAstroPage(PATH);
    expect(
      await screen.findByText(
        /Could not load what a new Deployment needs: boom/,
      ),
    ).toBeInTheDocument();
  });
});
