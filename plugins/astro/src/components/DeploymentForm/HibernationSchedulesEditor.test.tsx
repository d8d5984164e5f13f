import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Deployment } from '@airflow-portal/plugin-astro-common';
import {
  api,
  astroHttp,
  errorResponse,
  http,
  HttpResponse,
  renderAstroPage,
  setupAstroServer,
} from '../../__testUtils__/testApp';
import { deployment, options } from '../../__testUtils__/fixtures';

const server = setupAstroServer();
const PATH = '/astro/organizations/acme/deployments/etl/edit';

const withSchedule: Deployment = deployment({
  version: 4,
  settings: {
    ...deployment().settings,
    hibernation: {
      schedules: [
        {
          hibernateAt: '0 20 * * 1-5',
          wakeAt: '0 7 * * 1-5',
          timeZone: 'UTC',
          enabled: true,
          description: 'Nights off',
        },
      ],
    },
  },
  hibernation: {
    isHibernating: false,
    reason: 'Awake: no hibernation schedule is in its sleeping period',
    nextTransitions: [
      { at: '2026-12-02T20:00:00.000Z', action: 'HIBERNATE' },
      { at: '2026-12-03T07:00:00.000Z', action: 'WAKE' },
    ],
  },
});

function serve(current: Deployment = withSchedule) {
  const sent: { body?: any } = {};
  server.use(
    astroHttp.get('/deployment-options', () => HttpResponse.json(options)),
    astroHttp.get('/organizations/{org}/deployments/{dep}', () =>
      HttpResponse.json(current),
    ),
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

describe('the hibernation schedules of the settings form', () => {
  it('describes each cron expression in words and lists the transitions the backend planned', async () => {
    serve();
    renderAstroPage(PATH);
    const schedule = await screen.findByRole('group', {
      name: 'Hibernation schedule Nights off',
    });
    expect(
      within(schedule).getByText('At 08:00 PM, Monday through Friday'),
    ).toBeInTheDocument();
    expect(
      within(schedule).getByText('At 07:00 AM, Monday through Friday'),
    ).toBeInTheDocument();
    const transitions = screen.getByRole('list', {
      name: 'Next transitions of the saved schedules',
    });
    expect(within(transitions).getAllByRole('listitem')).toHaveLength(2);

    const wake = within(schedule).getByLabelText(/Wake at/);
    await userEvent.clear(wake);
    await userEvent.type(wake, '*/15 6 * * *');
    expect(
      within(schedule).getByText(
        'Every 15 minutes, between 06:00 AM and 06:59 AM',
      ),
    ).toBeInTheDocument();
  });

  it('shows the shared schema messages at their fields: a bad cron, and high availability', async () => {
    serve();
    renderAstroPage(PATH);
    const schedule = await screen.findByRole('group', {
      name: 'Hibernation schedule Nights off',
    });
    const sleep = within(schedule).getByLabelText(/Hibernate at/);
    await userEvent.clear(sleep);
    await userEvent.type(sleep, '99 * * * *');
    expect(
      within(schedule).getByText(
        'must be a valid cron expression (Field value (99) is out of range)',
      ),
    ).toBeInTheDocument();
    await userEvent.clear(sleep);
    await userEvent.type(sleep, '0 21 * * *');

    await userEvent.click(
      screen.getByLabelText('High availability (two schedulers)'),
    );
    expect(within(schedule).getByRole('alert')).toHaveTextContent(
      'This schedule cannot be enabled together with high availability',
    );
  });

  it('adds a schedule in a time zone and saves it', async () => {
    const sent = serve(deployment({ version: 4 }));
    renderAstroPage(PATH);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Add hibernation schedule' }),
    );
    const schedule = screen.getByRole('group', {
      name: 'Hibernation schedule 1',
    });
    await userEvent.type(
      within(schedule).getByLabelText('Description'),
      'Weekend',
    );
    const zone = within(schedule).getByLabelText('Time zone');
    await userEvent.clear(zone);
    await userEvent.type(zone, 'Europe/Atlantis');
    expect(
      within(schedule).getByText(/must be an IANA time zone name/),
    ).toBeInTheDocument();
    await userEvent.clear(zone);
    await userEvent.type(zone, 'Europe/Berlin');
    await userEvent.click(
      screen.getByRole('button', { name: 'Review changes' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Review changes',
    });
    expect(dialog).toHaveTextContent(
      'Hibernation schedule 1not setsleeps 0 20 * * 1-5, wakes 0 7 * * 1-5 (Europe/Berlin): Weekend',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save changes' }),
    );
    await screen.findByRole('heading', { name: 'Nightly ETL' });
    expect(sent.body.settings.hibernation).toEqual({
      schedules: [
        {
          hibernateAt: '0 20 * * 1-5',
          wakeAt: '0 7 * * 1-5',
          timeZone: 'Europe/Berlin',
          enabled: true,
          description: 'Weekend',
        },
      ],
    });
  });
});
