import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  AlertDelivery,
  AlertRule,
  AlertRuleCreate,
  AlertRulePatch,
} from '@airflow-portal/plugin-astro-common';
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
import { alertRule as rule } from '../../__testUtils__/fixtures';

const server = setupAstroServer();
const AT = '2026-12-02T10:00:00.000Z';
/** The Deployment page with alert rules kept by the fake backend. */
function serveRules(initial: AlertRule[]) {
  const state = {
    rules: initial,
    created: [] as AlertRuleCreate[],
    patched: [] as AlertRulePatch[],
    deleted: [] as string[],
  };
  serveDeploymentPage(server);
  server.use(
    astroHttp.get('/organizations/{org}/deployments/{dep}/alert-rules', () =>
      HttpResponse.json({ items: state.rules }),
    ),
    astroHttp.post(
      '/organizations/{org}/deployments/{dep}/alert-rules',
      async ({ request }) => {
        const body = (await request.json()) as AlertRuleCreate;
        state.created.push(body);
        const created = rule({
          id: 'new-rule',
          name: body.name,
          type: body.type,
          dagIds: body.dagIds ?? [],
          thresholdMinutes: body.thresholdMinutes,
          minSeverity: body.minSeverity,
          channels: body.channels.map((c, i) => ({
            id: `n${i}`,
            type: c.type,
            addresses: c.addresses,
            url: c.type === 'webhook' ? c.url : undefined,
            hasSecret: c.type === 'slack' || Boolean(c.secretHeader),
          })),
          version: 1,
        });
        state.rules = [...state.rules, created];
        return HttpResponse.json(created, { status: 201 });
      },
    ),
    astroHttp.patch(
      '/organizations/{org}/alert-rules/{rule}',
      async ({ request, params }) => {
        const body = (await request.json()) as AlertRulePatch;
        state.patched.push(body);
        const current = state.rules.find(r => r.id === params.rule)!;
        if (body.version !== current.version) {
          return errorResponse(409, 'ConflictError', 'version: stale');
        }
        const next = {
          ...current,
          ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
          ...(body.name !== undefined ? { name: body.name } : {}),
          version: current.version + 1,
        };
        state.rules = state.rules.map(r => (r.id === next.id ? next : r));
        return HttpResponse.json(next);
      },
    ),
    astroHttp.delete(
      '/organizations/{org}/alert-rules/{rule}',
      ({ params }) => {
        state.deleted.push(String(params.rule));
        state.rules = state.rules.filter(r => r.id !== params.rule);
        return new HttpResponse(null, { status: 204 });
      },
    ),
  );
  return state;
}

/** Types a value into a field at once (a paste): the whole page re-renders per key. */
async function fill(input: HTMLElement, text: string) {
  await userEvent.clear(input);
  await userEvent.click(input);
  await userEvent.paste(text);
}

async function rulesTable() {
  return screen.findByRole('table', { name: 'Alert rules' });
}

jest.setTimeout(60_000);

describe('alert rules of a Deployment', () => {
  it('lists rules in words, without secrets, and turns one off', async () => {
    const state = serveRules([rule()]);
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=incidents`);
    const table = await rulesTable();
    const row = within(table).getByText('failing-dags').closest('tr')!;
    expect(row).toHaveTextContent('A run of DAG billing_daily fails.');
    expect(row).toHaveTextContent('Portal notifications to the owners');
    expect(row).toHaveTextContent('Slack incoming webhook (URL stored');

    await userEvent.click(
      within(row).getByRole('checkbox', {
        name: 'Alert rule failing-dags enabled',
      }),
    );
    await waitFor(() => expect(state.patched).toHaveLength(1));
    // Only the change and the version read, so a concurrent edit is refused.
    expect(state.patched[0]).toEqual({ enabled: false, version: 3 });
    await waitFor(() =>
      expect(
        within(row).getByRole('checkbox', {
          name: 'Alert rule failing-dags enabled',
        }),
      ).not.toBeChecked(),
    );
  });

  it('creates a duration rule with an e-mail channel, checking fields first', async () => {
    const state = serveRules([]);
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=incidents`);
    await screen.findByText(/No alert rules on this Deployment/);
    await userEvent.click(
      screen.getByRole('button', { name: 'Create alert rule' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Create alert rule',
    });

    // Type: "DAG run took too long".
    await userEvent.click(within(dialog).getByLabelText('Alert when'));
    await userEvent.click(
      await screen.findByRole('option', { name: /DAG run took too long/ }),
    );
    // Channel 1: e-mail, with one bad address.
    await userEvent.click(within(dialog).getByLabelText('Channel 1'));
    await userEvent.click(
      await screen.findByRole('option', { name: /E-mail/ }),
    );
    await fill(
      within(dialog).getByLabelText(/E-mail addresses/),
      'oncall@example.com, not-an-address',
    );
    await fill(within(dialog).getByLabelText(/Longer than/), '0');

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Create rule' }),
    );
    // Nothing sent; each field says what is wrong, and the first has focus.
    expect(state.created).toHaveLength(0);
    expect(within(dialog).getByText('Give the rule a name.')).toBeVisible();
    expect(
      within(dialog).getByText('"not-an-address" is not an e-mail address.'),
    ).toBeVisible();
    expect(
      within(dialog).getByText('A whole number of minutes from 1 to 10080.'),
    ).toBeVisible();
    expect(within(dialog).getByLabelText(/^Name/)).toHaveFocus();

    await fill(within(dialog).getByLabelText(/^Name/), 'slow-etl');
    await fill(within(dialog).getByLabelText(/Longer than/), '45');
    await fill(
      within(dialog).getByLabelText(/E-mail addresses/),
      'oncall@example.com ops@example.com',
    );
    await fill(within(dialog).getByLabelText('DAGs'), 'etl_daily');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Create rule' }),
    );

    await waitFor(() => expect(state.created).toHaveLength(1));
    expect(state.created[0]).toEqual({
      name: 'slow-etl',
      type: 'dag-duration',
      dagIds: ['etl_daily'],
      thresholdMinutes: 45,
      channels: [
        {
          type: 'email',
          addresses: ['oncall@example.com', 'ops@example.com'],
        },
      ],
      enabled: true,
    });
    const table = await rulesTable();
    expect(
      await within(table).findByText(
        'A run of DAG etl_daily takes longer than 45 min.',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Alert rule slow-etl created.'),
    ).toBeVisible();
  });

  it('puts the field errors the backend names on the fields', async () => {
    serveRules([]);
    server.use(
      astroHttp.post('/organizations/{org}/deployments/{dep}/alert-rules', () =>
        errorResponse(
          400,
          'InputError',
          'channels[0].url: must be an http or https URL',
        ),
      ),
    );
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=incidents`);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create alert rule' }),
    );
    const dialog = await screen.findByRole('dialog');
    await fill(within(dialog).getByLabelText(/^Name/), 'hook');
    await userEvent.click(within(dialog).getByLabelText('Channel 1'));
    await userEvent.click(
      await screen.findByRole('option', { name: /Webhook/ }),
    );
    await fill(
      within(dialog).getByLabelText(/^URL/),
      'https://hooks.example.com/x',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Create rule' }),
    );
    expect(
      await within(dialog).findByText('must be an http or https URL'),
    ).toBeVisible();
    expect(within(dialog).getByRole('alert')).toHaveTextContent(
      'The rule was not created',
    );
  });

  it('keeps a stored Slack URL when editing without typing a new one', async () => {
    const state = serveRules([rule()]);
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=incidents`);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Edit alert rule failing-dags',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Edit alert rule failing-dags',
    });
    // The kind of rule is fixed once created.
    expect(within(dialog).getByLabelText('Alert when')).toHaveAttribute(
      'aria-disabled',
      'true',
    );
    const name = within(dialog).getByLabelText(/^Name/);
    await fill(name, 'billing-failures');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save rule' }),
    );
    await waitFor(() => expect(state.patched).toHaveLength(1));
    expect(state.patched[0]).toEqual({
      name: 'billing-failures',
      dagIds: ['billing_daily'],
      channels: [
        { id: 'c1', type: 'notifications' },
        { id: 'c2', type: 'slack' },
      ],
      enabled: true,
      version: 3,
    });
  });

  it('deletes a rule after asking', async () => {
    const state = serveRules([rule()]);
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=incidents`);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Delete alert rule failing-dags',
      }),
    );
    const confirm = await screen.findByRole('dialog', {
      name: 'Delete alert rule failing-dags?',
    });
    await userEvent.click(
      within(confirm).getByRole('button', { name: 'Delete rule' }),
    );
    await waitFor(() => expect(state.deleted).toEqual([rule().id]));
    expect(
      await screen.findByText(/No alert rules on this Deployment/),
    ).toBeInTheDocument();
  });

  it('shows deliveries with why one failed', async () => {
    serveRules([rule()]);
    const deliveries: AlertDelivery[] = [
      {
        id: '2',
        channelId: 'c2',
        channelType: 'slack',
        eventType: 'dag-run-failed',
        deployment: 'etl',
        title: 'etl: billing_daily failed',
        status: 'failed',
        attempts: 3,
        error: 'webhook answered 503',
        createdAt: AT,
        finishedAt: AT,
      },
      {
        id: '1',
        channelId: 'c1',
        channelType: 'notifications',
        eventType: 'dag-run-failed',
        deployment: 'etl',
        title: 'etl: billing_daily failed',
        status: 'sent',
        attempts: 1,
        createdAt: AT,
        finishedAt: AT,
      },
    ];
    server.use(
      astroHttp.get('/organizations/{org}/alert-rules/{rule}/deliveries', () =>
        HttpResponse.json({ items: deliveries }),
      ),
    );
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=incidents`);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Deliveries of failing-dags' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Deliveries of failing-dags',
    });
    const rows = within(
      await within(dialog).findByRole('table', { name: 'Deliveries' }),
    ).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('Slack');
    expect(rows[1]).toHaveTextContent('Failed (3 attempts)');
    expect(rows[1]).toHaveTextContent('webhook answered 503');
    expect(rows[2]).toHaveTextContent('Portal notifications');
    expect(rows[2]).toHaveTextContent('Sent (1 attempt)');
  });
});
