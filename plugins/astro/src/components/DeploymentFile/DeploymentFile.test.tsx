import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Deployment } from '@airflow-portal/plugin-astro-common';
import {
  astroHttp,
  errorResponse,
  HttpResponse,
  renderAstroPage,
  setupAstroServer,
} from '../../__testUtils__/testApp';
import {
  DEPLOYMENT_PAGE,
  serveDeploymentPage,
} from '../../__testUtils__/deploymentPage';
import { deployment, workspace } from '../../__testUtils__/fixtures';
import { MAX_FILE_BYTES } from './model';

const server = setupAstroServer();
const WORKSPACE_PAGE = '/astro/organizations/acme/workspaces/data-eng';

const FILE = `apiVersion: astro.airflow-portal.dev/v1alpha1
kind: AstroDeploymentFile
metadata:
  name: etl
  workspace: data-eng
spec:
  settings:
    workerQueues:
      - name: default
        maxWorkers: 4
`;

function withMaxWorkers(
  maxWorkers: number,
  overrides: Partial<Deployment> = {},
) {
  const base = deployment(overrides);
  return {
    ...base,
    settings: {
      ...base.settings,
      workerQueues: [{ ...base.settings.workerQueues[0], maxWorkers }],
    },
  };
}

/** The requests made to the import endpoint, with their dry-run flag. */
function serveImport(
  answer: (dryRun: boolean) => Response | Promise<Response>,
) {
  const imports: Array<{ dryRun: boolean; body: string; type: string }> = [];
  server.use(
    astroHttp.post(
      '/organizations/{org}/deployments:import',
      async ({ request }) => {
        const dryRun =
          new URL(request.url).searchParams.get('dryRun') === 'true';
        imports.push({
          dryRun,
          body: await request.text(),
          type: request.headers.get('Content-Type') ?? '',
        });
        return answer(dryRun) as any;
      },
    ),
  );
  return imports;
}

function serveWorkspace() {
  server.use(
    astroHttp.get('/organizations/{org}/workspaces/{ws}/tokens', () =>
      HttpResponse.json({ items: [] }),
    ),
    astroHttp.get('/organizations/{org}/workspaces/{ws}', () =>
      HttpResponse.json(workspace),
    ),
    astroHttp.get('/organizations/{org}/deployments', () =>
      HttpResponse.json({ items: [] }),
    ),
  );
}

async function openImportDialog() {
  await userEvent.click(
    await screen.findByRole('button', { name: /Import deployment file/ }),
  );
  return screen.findByRole('dialog', { name: 'Import deployment file' });
}

describe('the deployment file card of the Settings tab', () => {
  it('downloads the file as the backend serves it, named after the Deployment, and says secrets are left out', async () => {
    serveDeploymentPage(server);
    const served = `${FILE}# as served\n`;
    server.use(
      astroHttp.get('/organizations/{org}/deployments/{dep}/spec', () =>
        HttpResponse.text(served, {
          headers: { 'Content-Type': 'application/yaml' },
        }),
      ),
    );
    const saved: Blob[] = [];
    URL.createObjectURL = jest.fn((blob: Blob) => {
      saved.push(blob);
      return 'blob:deployment-file';
    });
    URL.revokeObjectURL = jest.fn();
    const clicked: HTMLAnchorElement[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        clicked.push(this);
      });
    try {
      renderAstroPage(`${DEPLOYMENT_PAGE}?tab=settings`);
      const card = (await screen.findByText('Deployment file')).closest(
        '.MuiCard-root',
      ) as HTMLElement;
      expect(card).toHaveTextContent('Secret values are not included');
      await userEvent.click(
        within(card).getByRole('button', { name: 'Export deployment file' }),
      );
      await waitFor(() => expect(clicked).toHaveLength(1));
      expect(clicked[0].download).toBe('etl.yaml');
      expect(clicked[0].href).toBe('blob:deployment-file');
      expect(saved[0].type).toBe('application/yaml');
      expect(await saved[0].text()).toBe(served);
    } finally {
      click.mockRestore();
    }
  });

  it('previews a replace with the changes, setting by setting, and imports it', async () => {
    serveDeploymentPage(server, { deployment: withMaxWorkers(10) });
    const imports = serveImport(() =>
      HttpResponse.json({ created: false, deployment: withMaxWorkers(4) }),
    );
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=settings`);
    const dialog = await openImportDialog();
    fireEvent.change(
      within(dialog).getByRole('textbox', { name: 'Deployment file (YAML)' }),
      { target: { value: FILE } },
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Review import' }),
    );
    expect(
      await within(dialog).findByText(/Replaces the settings of the existing/),
    ).toHaveTextContent('Deployment etl in workspace data-eng');
    const changes = within(dialog).getByRole('table', { name: 'Changes' });
    const rows = within(changes).getAllByRole('row');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveTextContent('Queue "default": maximum workers104');
    expect(imports).toEqual([
      { dryRun: true, body: FILE, type: 'application/yaml' },
    ]);

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Replace settings' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Import deployment file' }),
      ).not.toBeInTheDocument(),
    );
    expect(imports.map(i => i.dryRun)).toEqual([true, false]);
    expect(imports[1].body).toBe(FILE);
  });
});

describe('importing a deployment file from the workspace page', () => {
  it('shows the Deployment it creates and where, imports it and opens it', async () => {
    serveWorkspace();
    // The fixture Deployment, as the one the file creates: its page is
    // served once the import opens it.
    const created = deployment({ cluster: 'shared-1' });
    serveDeploymentPage(server, { deployment: created });
    const imports = serveImport(dryRun =>
      HttpResponse.json(
        { created: true, deployment: created },
        { status: dryRun ? 200 : 201 },
      ),
    );
    renderAstroPage(WORKSPACE_PAGE);
    const dialog = await openImportDialog();
    const file = new File([FILE], 'etl.yaml', {
      type: 'application/yaml',
    });
    await userEvent.upload(
      within(dialog).getByTestId('astro-deployment-file-input'),
      file,
    );
    expect(
      await within(dialog).findByText(/^etl\.yaml, \d+ B$/),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Review import' }),
    );
    expect(
      await within(dialog).findByText(/^Creates Deployment/),
    ).toHaveTextContent(
      'Creates Deployment etl in workspace data-eng on cluster shared-1, with these settings:',
    );
    expect(
      within(dialog).getByText('default: A5, 0–10 workers'),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Create Deployment' }),
    );
    expect(
      await screen.findByText(
        'Deployment etl created from the deployment file.',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('heading', { name: /Nightly ETL/ }),
    ).toBeInTheDocument();
    expect(imports.map(i => [i.dryRun, i.body === FILE])).toEqual([
      [true, true],
      [false, true],
    ]);
  });

  it("shows the backend's problems by the file's field and line, and imports nothing", async () => {
    serveWorkspace();
    const imports = serveImport(() =>
      errorResponse(
        400,
        'InputError',
        "file.spec.settings.executor: must be one of 'CELERY', 'KUBERNETES' (line 8); file.metadata.colour: is not a known field (line 5)",
      ),
    );
    renderAstroPage(WORKSPACE_PAGE);
    const dialog = await openImportDialog();
    fireEvent.change(
      within(dialog).getByRole('textbox', { name: 'Deployment file (YAML)' }),
      { target: { value: FILE } },
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Review import' }),
    );
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('The file was not accepted:');
    const problems = within(alert).getAllByRole('listitem');
    expect(problems.map(p => p.textContent)).toEqual([
      "spec.settings.executor (line 8): must be one of 'CELERY', 'KUBERNETES'",
      'metadata.colour (line 5): is not a known field',
    ]);
    // A problem's line selects that line of the file.
    await userEvent.click(
      within(alert).getByRole('button', { name: 'line 8' }),
    );
    const textBox = within(dialog).getByRole('textbox', {
      name: 'Deployment file (YAML)',
    }) as HTMLTextAreaElement;
    expect(textBox).toHaveFocus();
    expect(
      textBox.value.slice(textBox.selectionStart, textBox.selectionEnd),
    ).toBe('    workerQueues:');
    expect(
      within(dialog).queryByRole('button', { name: 'Create Deployment' }),
    ).not.toBeInTheDocument();
    expect(imports.map(i => i.dryRun)).toEqual([true]);
  });

  it('refuses a file larger than the backend takes without reading it', async () => {
    serveWorkspace();
    const imports = serveImport(() =>
      HttpResponse.json({ created: true, deployment: deployment() }),
    );
    const read = jest.spyOn(FileReader.prototype, 'readAsText');
    renderAstroPage(WORKSPACE_PAGE);
    const dialog = await openImportDialog();
    const big = new File(['x'.repeat(MAX_FILE_BYTES + 1)], 'huge.yaml');
    await userEvent.upload(
      within(dialog).getByTestId('astro-deployment-file-input'),
      big,
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'huge.yaml was not read. The file is 1.0 MiB (1,048,577 bytes); a deployment file may have at most 1.0 MiB (1,048,576 bytes).',
    );
    expect(read).not.toHaveBeenCalled();
    expect(
      within(dialog).getByRole('button', { name: 'Review import' }),
    ).toBeDisabled();
    expect(imports).toEqual([]);
    read.mockRestore();
  });
});
