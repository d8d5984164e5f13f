import { screen, waitFor, within } from '@testing-library/react';
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
import { deployment } from '../../__testUtils__/fixtures';

const server = setupAstroServer();

const nightly = (overrides: Partial<Deployment> = {}) =>
  deployment({
    settings: {
      ...deployment().settings,
      hibernation: {
        schedules: [
          {
            hibernateAt: '0 20 * * 1-5',
            wakeAt: '0 7 * * 1-5',
            timeZone: 'Europe/Berlin',
            enabled: true,
            description: 'Nights off',
          },
        ],
      },
    },
    hibernation: {
      isHibernating: false,
      reason: 'Awake: no hibernation schedule is in its sleeping period',
      nextHibernateAt: '2026-12-02T19:00:00.000Z',
      nextWakeAt: '2026-12-03T06:00:00.000Z',
      nextTransitions: [
        { at: '2026-12-02T19:00:00.000Z', action: 'HIBERNATE' },
        { at: '2026-12-03T06:00:00.000Z', action: 'WAKE' },
      ],
    },
    ...overrides,
  });

async function hibernationCard() {
  const state = await screen.findByRole('status', {
    name: 'Hibernation state',
  });
  return state.closest('.MuiCard-root') as HTMLElement;
}

describe('the hibernation card of the Deployment page', () => {
  it('shows the state, the schedules in words and the next transitions the backend planned', async () => {
    serveDeploymentPage(server, { deployment: nightly() });
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=settings`);
    const card = await hibernationCard();
    expect(
      within(card).getByRole('status', { name: 'Hibernation state' }),
    ).toHaveTextContent(
      /^Awake: no hibernation schedule is in its sleeping period$/,
    );
    const schedules = within(card).getByRole('list', {
      name: 'Hibernation schedules',
    });
    expect(schedules).toHaveTextContent('Nights off');
    expect(schedules).toHaveTextContent(
      'Sleeps: At 08:00 PM, Monday through Friday · Wakes: At 07:00 AM, Monday through Friday · Europe/Berlin',
    );
    const transitions = within(card).getByRole('list', {
      name: 'Next transitions',
    });
    const items = within(transitions).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent(
      `Hibernates ${new Date('2026-12-02T19:00:00.000Z').toLocaleString(
        undefined,
        {
          weekday: 'short',
          year: 'numeric',
          month: 'short',
          day: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          timeZoneName: 'short',
        },
      )}`,
    );
    expect(items[1]).toHaveTextContent(/^Wakes up /);
  });

  it('hibernates by hand until a chosen time, and can remove the override', async () => {
    const sent: any[] = [];
    const reads = serveDeploymentPage(server, { deployment: nightly() });
    server.use(
      astroHttp.post(
        '/organizations/{org}/deployments/{dep}/hibernation-override',
        async ({ request }) => {
          sent.push(await request.json());
          return HttpResponse.json({
            isHibernating: true,
            reason: 'Hibernating by override until 2026-12-02T22:00:00.000Z',
            override: {
              isHibernating: true,
              overrideUntil: '2026-12-02T22:00:00.000Z',
              createdBy: 'user:default/alice',
              createdAt: '2026-12-02T12:00:00.000Z',
            },
            nextTransitions: [],
          });
        },
      ),
    );
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=settings`);
    const card = await hibernationCard();
    await userEvent.type(
      within(card).getByLabelText('Hibernate until'),
      '2026-12-02T23:00',
    );
    const before = reads.deployment;
    await userEvent.click(
      within(card).getByRole('button', { name: 'Hibernate' }),
    );
    await screen.findByRole('status', { name: 'Hibernation state' });
    expect(sent).toEqual([
      {
        isHibernating: true,
        overrideUntil: new Date('2026-12-02T23:00').toISOString(),
      },
    ]);
    // The page reads the Deployment again to show the new state.
    await waitFor(() => expect(reads.deployment).toBeGreaterThan(before));
  });

  it('offers Wake up and Remove override while an override hibernates it', async () => {
    let removed = 0;
    serveDeploymentPage(server, {
      deployment: nightly({
        status: 'HIBERNATING',
        hibernation: {
          isHibernating: true,
          reason: 'Hibernating by override until the override is removed',
          override: {
            isHibernating: true,
            createdBy: 'user:default/alice',
            createdAt: '2026-12-02T12:00:00.000Z',
          },
          nextTransitions: [],
        },
      }),
    });
    server.use(
      astroHttp.delete(
        '/organizations/{org}/deployments/{dep}/hibernation-override',
        () => {
          removed += 1;
          return HttpResponse.json({
            isHibernating: false,
            reason: 'Awake',
            nextTransitions: [],
          });
        },
      ),
    );
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=settings`);
    const card = await hibernationCard();
    expect(card).toHaveTextContent(
      'Override by user:default/alice until removed',
    );
    expect(within(card).getByRole('button', { name: 'Wake up' })).toBeEnabled();
    expect(within(card).getByLabelText('Stay awake until')).toBeInTheDocument();
    await userEvent.click(
      within(card).getByRole('button', { name: 'Remove override' }),
    );
    await screen.findByRole('status', { name: 'Hibernation state' });
    expect(removed).toBe(1);
  });

  it('shows why the backend refused an override', async () => {
    serveDeploymentPage(server, { deployment: nightly() });
    server.use(
      astroHttp.post(
        '/organizations/{org}/deployments/{dep}/hibernation-override',
        () =>
          errorResponse(
            400,
            'InputError',
            'overrideUntil: must be in the future',
          ),
      ),
    );
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=settings`);
    const card = await hibernationCard();
    await userEvent.click(
      within(card).getByRole('button', { name: 'Hibernate' }),
    );
    expect(await within(card).findByRole('alert')).toHaveTextContent(
      'The hibernation override was not changed: overrideUntil: must be in the future',
    );
  });

  it('does not offer hibernation with high availability', async () => {
    serveDeploymentPage(server, {
      deployment: nightly({
        settings: {
          ...deployment().settings,
          highAvailability: true,
        },
      }),
    });
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=settings`);
    const card = await hibernationCard();
    expect(
      within(card).getByRole('button', { name: 'Hibernate' }),
    ).toBeDisabled();
    expect(card).toHaveTextContent(
      'A Deployment with high availability does not hibernate.',
    );
  });
});
