import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AstroApiSchemas } from '@airflow-portal/plugin-astro-common';
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
import { apiToken, deployment, workspace } from '../../__testUtils__/fixtures';

type ApiToken = AstroApiSchemas['ApiToken'];

const server = setupAstroServer();
const VALUE = 'astro_2f9c1a7e5b8d4e369a0177c4d2b8e6f3_Qm9vdHN0cmFwLXNlY3JldA';
const NEW_VALUE = 'astro_2f9c1a7e5b8d4e369a0177c4d2b8e6f3_cm90YXRlZC1zZWNyZXQ';

const active = apiToken({
  lastUsedAt: '2026-11-20T09:00:00.000Z',
  expiresAt: '2999-01-01T00:00:00.000Z',
});
const expired = apiToken({
  id: '7d0c7a51-1e0b-4c57-8f5e-1a2b3c4d5e6f',
  name: 'old-ci',
  prefix: 'astro_7d0c7a51',
  description: '',
  expiresAt: '2026-01-01T00:00:00.000Z',
});
const revoked = apiToken({
  id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  name: 'leaked',
  prefix: 'astro_9a8b7c6d',
  description: '',
  revokedAt: '2026-11-19T10:00:00.000Z',
});

/** The Deployment page with a token list the test changes. */
function serveTokens(initial: ApiToken[]) {
  const state = { tokens: initial };
  serveDeploymentPage(server, { tokens: () => state.tokens });
  return state;
}

async function tokenRow(name: string) {
  const table = await screen.findByRole('table', { name: 'API tokens' });
  const cell = await within(table).findByText(name);
  return cell.closest('tr') as HTMLElement;
}

describe('API tokens of a Deployment', () => {
  it('lists tokens with their last use, expiry and state', async () => {
    serveTokens([active, expired, revoked]);
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=access`);
    const ci = await tokenRow('github-actions');
    expect(ci).toHaveTextContent('astro_2f9c1a7e…');
    expect(ci).toHaveTextContent('Deploys from the main branch');
    expect(ci).toHaveTextContent('by alice');
    expect(ci).toHaveTextContent('Active');
    expect(ci.querySelectorAll('time')[1]).toHaveAttribute(
      'dateTime',
      active.lastUsedAt,
    );
    expect(
      within(ci).getByRole('button', { name: 'Rotate token github-actions' }),
    ).toBeInTheDocument();

    const old = await tokenRow('old-ci');
    expect(old).toHaveTextContent('Never'); // never used
    expect(old).toHaveTextContent('Expired');
    // An expired token can be revoked, not rotated.
    expect(
      within(old).queryByRole('button', { name: /Rotate/ }),
    ).not.toBeInTheDocument();

    const gone = await tokenRow('leaked');
    expect(gone).toHaveTextContent('Revoked');
    expect(within(gone).queryByRole('button')).not.toBeInTheDocument();
  });

  it('shows a new token value once, with a warning, and never again', async () => {
    let body: unknown;
    const state = serveTokens([]);
    const created = apiToken({ name: 'deploy-bot', description: 'nightly' });
    server.use(
      astroHttp.post(
        '/organizations/{org}/deployments/{dep}/tokens',
        async ({ request }) => {
          body = await request.json();
          expect(request.headers.get('Idempotency-Key')).toBeTruthy();
          state.tokens = [created];
          return HttpResponse.json(
            { ...created, value: VALUE },
            { status: 201 },
          );
        },
      ),
    );
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=access`);
    expect(await screen.findByText(/No API tokens yet/)).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Create API token' }),
    );
    const form = screen.getByRole('dialog', { name: 'Create API token' });
    await userEvent.type(within(form).getByLabelText(/^Name/), 'deploy-bot');
    await userEvent.type(within(form).getByLabelText('Description'), 'nightly');
    const expiry = within(form).getByLabelText('Expires in (days)');
    await userEvent.clear(expiry);
    await userEvent.type(expiry, '30');
    // Deployment tokens have one role; there is nothing to choose.
    expect(within(form).queryByLabelText('Role')).not.toBeInTheDocument();
    await userEvent.click(
      within(form).getByRole('button', { name: 'Create token' }),
    );

    const shown = await screen.findByRole('dialog', {
      name: 'Token deploy-bot created',
    });
    expect(body).toEqual({
      name: 'deploy-bot',
      description: 'nightly',
      expiresInDays: 30,
    });
    expect(within(shown).getByLabelText('Token value')).toHaveValue(VALUE);
    expect(shown).toHaveTextContent('it is shown only this once');
    expect(
      within(shown).getByRole('button', { name: 'Copy token value' }),
    ).toBeInTheDocument();

    await userEvent.click(
      within(shown).getByRole('button', { name: 'I have copied it' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(document.body.innerHTML).not.toContain(VALUE);
    // The list has the new token, without its value.
    expect(await tokenRow('deploy-bot')).toHaveTextContent('Active');
  });

  it('checks the form before sending it', async () => {
    let sent = false;
    serveTokens([]);
    server.use(
      astroHttp.post('/organizations/{org}/deployments/{dep}/tokens', () => {
        sent = true;
        return HttpResponse.json(
          { ...apiToken(), value: VALUE },
          { status: 201 },
        );
      }),
    );
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=access`);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create API token' }),
    );
    const form = screen.getByRole('dialog', { name: 'Create API token' });
    const expiry = within(form).getByLabelText('Expires in (days)');
    await userEvent.clear(expiry);
    await userEvent.type(expiry, '4000');
    await userEvent.click(
      within(form).getByRole('button', { name: 'Create token' }),
    );
    expect(within(form).getByLabelText(/^Name/)).toHaveAccessibleDescription(
      'must not be empty',
    );
    expect(expiry).toHaveAccessibleDescription(
      'must be a whole number of days from 1 to 3650',
    );
    expect(sent).toBe(false);
  });

  it('shows the backend message when a create fails', async () => {
    serveTokens([]);
    server.use(
      astroHttp.post('/organizations/{org}/deployments/{dep}/tokens', () =>
        errorResponse(400, 'InputError', 'name: is already taken'),
      ),
    );
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=access`);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create API token' }),
    );
    const form = screen.getByRole('dialog', { name: 'Create API token' });
    await userEvent.type(within(form).getByLabelText(/^Name/), 'ci');
    await userEvent.click(
      within(form).getByRole('button', { name: 'Create token' }),
    );
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      'The token was not created: name: is already taken',
    );
    expect(within(form).getByLabelText(/^Name/)).toHaveAccessibleDescription(
      'is already taken',
    );
  });

  it('rotates a token after confirmation and shows the new value once', async () => {
    let rotated: string | undefined;
    serveTokens([active]);
    server.use(
      astroHttp.post(
        '/organizations/{org}/deployments/{dep}/tokens/{token}/rotate',
        ({ params }) => {
          rotated = params.token;
          return HttpResponse.json({
            ...active,
            rotatedAt: '2026-11-20T10:00:00.000Z',
            value: NEW_VALUE,
          });
        },
      ),
    );
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=access`);
    await userEvent.click(
      within(await tokenRow('github-actions')).getByRole('button', {
        name: 'Rotate token github-actions',
      }),
    );
    const confirm = screen.getByRole('dialog', {
      name: 'Rotate token github-actions?',
    });
    expect(confirm).toHaveTextContent('current value stops working');
    expect(rotated).toBeUndefined();
    await userEvent.click(
      within(confirm).getByRole('button', { name: 'Rotate token' }),
    );
    const shown = await screen.findByRole('dialog', {
      name: 'Token github-actions rotated',
    });
    expect(rotated).toBe(active.id);
    expect(within(shown).getByLabelText('Token value')).toHaveValue(NEW_VALUE);
    expect(shown).toHaveTextContent('The previous value no longer works');
    await userEvent.click(
      within(shown).getByRole('button', { name: 'I have copied it' }),
    );
    await waitFor(() =>
      expect(document.body.innerHTML).not.toContain(NEW_VALUE),
    );
  });

  it('revokes a token after confirmation', async () => {
    let revokedId: string | undefined;
    const state = serveTokens([active]);
    server.use(
      astroHttp.delete(
        '/organizations/{org}/deployments/{dep}/tokens/{token}',
        ({ params }) => {
          revokedId = params.token;
          const gone = { ...active, revokedAt: '2026-11-20T10:00:00.000Z' };
          state.tokens = [gone];
          return HttpResponse.json(gone);
        },
      ),
    );
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=access`);
    await userEvent.click(
      within(await tokenRow('github-actions')).getByRole('button', {
        name: 'Revoke token github-actions',
      }),
    );
    const confirm = screen.getByRole('dialog', {
      name: 'Revoke token github-actions?',
    });
    expect(confirm).toHaveTextContent('cannot be undone');
    await userEvent.click(
      within(confirm).getByRole('button', { name: 'Revoke token' }),
    );
    await waitFor(async () =>
      expect(await tokenRow('github-actions')).toHaveTextContent('Revoked'),
    );
    expect(revokedId).toBe(active.id);
  });
});

describe('API tokens of a workspace', () => {
  function serveWorkspace(tokens: () => ApiToken[]) {
    server.use(
      astroHttp.get('/organizations/{org}/workspaces/{ws}', () =>
        HttpResponse.json(workspace),
      ),
      astroHttp.get('/organizations/{org}/deployments', () =>
        HttpResponse.json({ items: [deployment()] }),
      ),
      astroHttp.get('/organizations/{org}/deployments/{dep}/components', () =>
        HttpResponse.json({ components: [], workerQueues: [] }),
      ),
      astroHttp.get('/organizations/{org}/workspaces/{ws}/tokens', () =>
        HttpResponse.json({ items: tokens() }),
      ),
    );
  }

  it('creates a token with the role chosen, each role explained', async () => {
    let body: any;
    let tokens: ApiToken[] = [];
    serveWorkspace(() => tokens);
    server.use(
      astroHttp.post(
        '/organizations/{org}/workspaces/{ws}/tokens',
        async ({ request }) => {
          body = await request.json();
          const made = apiToken({
            name: 'ops-bot',
            scope: 'WORKSPACE',
            deployment: undefined,
            role: body.role,
          });
          tokens = [made];
          return HttpResponse.json({ ...made, value: VALUE }, { status: 201 });
        },
      ),
    );
    renderAstroPage('/astro/organizations/acme/workspaces/data-eng');
    expect(await screen.findByText('Workspace API tokens')).toBeInTheDocument();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create API token' }),
    );
    const form = screen.getByRole('dialog', { name: 'Create API token' });
    await userEvent.type(within(form).getByLabelText(/^Name/), 'ops-bot');
    // Author by default: what a pipeline that deploys needs.
    expect(form).toHaveTextContent('Also deploys DAGs and images');
    await userEvent.click(within(form).getByLabelText('Role'));
    const roles = screen.getByRole('listbox');
    expect(within(roles).getAllByRole('option')).toHaveLength(4);
    expect(roles).toHaveTextContent('MemberReads the Deployments');
    await userEvent.click(within(roles).getByText('Operator'));
    expect(form).toHaveTextContent('the role of those who run the Deployments');
    await userEvent.click(
      within(form).getByRole('button', { name: 'Create token' }),
    );

    const shown = await screen.findByRole('dialog', {
      name: 'Token ops-bot created',
    });
    expect(body).toMatchObject({ name: 'ops-bot', role: 'WORKSPACE_OPERATOR' });
    await userEvent.click(
      within(shown).getByRole('button', { name: 'I have copied it' }),
    );
    expect(await tokenRow('ops-bot')).toHaveTextContent('Operator');
  });
});
