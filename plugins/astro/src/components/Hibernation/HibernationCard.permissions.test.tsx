import { screen, within } from '@testing-library/react';
import { Deployment } from '@airflow-portal/plugin-astro-common';
import { renderAstroPage, setupAstroServer } from '../../__testUtils__/testApp';
import {
  DEPLOYMENT_PAGE,
  serveDeploymentPage,
} from '../../__testUtils__/deploymentPage';
import { deployment } from '../../__testUtils__/fixtures';

// In a file of its own: permission answers are cached per test file.

const server = setupAstroServer();

const nightly = (): Deployment =>
  deployment({
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
      reason: 'Awake',
      nextTransitions: [],
    },
  });

describe('the hibernation card for a user who may not update the Deployment', () => {
  it('shows the state without the Hibernate button', async () => {
    serveDeploymentPage(server, { deployment: nightly() });
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=settings`, {
      allow: permission => permission !== 'astro.deployment.update',
    });
    const state = await screen.findByRole('status', {
      name: 'Hibernation state',
    });
    const card = state.closest('.MuiCard-root') as HTMLElement;
    expect(card).toHaveTextContent('Nights off');
    expect(
      within(card).queryByRole('button', { name: 'Hibernate' }),
    ).not.toBeInTheDocument();
  });
});
