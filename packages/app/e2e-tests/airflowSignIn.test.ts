import { test, expect, Page } from './fixtures';
import {
  BACKEND_URL,
  SIMULATOR_TOKEN,
  SIMULATOR_URL,
  astroApi,
  screenshot,
  signInAsGuest,
  deploymentGone,
} from './helpers';

/*
 * One identity, end to end on the default config (guest sign-in, the
 * built-in simulator): a person signed in to the portal opens an HA
 * Deployment's Airflow with "Open Airflow" and is recognised there as
 * themselves with the role their portal permissions give (the guest may
 * update the Deployment: Admin), on both api-server replicas and after the
 * api-server pods were replaced.
 */

test.use({ actionTimeout: 30_000 });

const ORG = 'demo';

/** Calls the simulator's Kubernetes API. */
async function simulator(method: string, path: string): Promise<any> {
  const response = await fetch(`${SIMULATOR_URL}${path}`, {
    method,
    headers: { Authorization: `Bearer ${SIMULATOR_TOKEN}` },
  });
  expect(response.ok).toBe(true);
  return response.json();
}

/** Names of the Ready, non-terminating api-server pods of a namespace. */
async function readyApiServerPods(namespace: string): Promise<string[]> {
  const list = await simulator(
    'GET',
    `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(
      'app.kubernetes.io/component=api-server',
    )}`,
  );
  return list.items
    .filter(
      (pod: any) =>
        !pod.metadata.deletionTimestamp &&
        (pod.status?.conditions ?? []).some(
          (c: any) => c.type === 'Ready' && c.status === 'True',
        ),
    )
    .map((pod: any) => pod.metadata.name)
    .sort();
}

/** The pods named on the Airflow page over a few reloads, still signed in. */
async function podsServing(airflow: Page, expectedRole: string) {
  const served = new Set<string>();
  for (let i = 0; i < 6; i++) {
    await airflow.reload();
    await expect(airflow.getByText(/^Signed in as /)).toContainText(
      `· role ${expectedRole}`,
    );
    served.add((await airflow.locator('#served-by code').textContent()) ?? '');
  }
  return [...served].sort();
}

test('Open Airflow signs the portal user in, on both replicas and after a restart', async ({
  page,
  consoleGuard,
}) => {
  test.setTimeout(5 * 60_000);
  const name = `signin-${Date.now().toString(36)}`;
  const refresh = await fetch(`${BACKEND_URL}/api/auth/guest/refresh`);
  const userRef: string = (await refresh.json()).backstageIdentity.identity
    .userEntityRef;
  const created = await astroApi('POST', `/organizations/${ORG}/deployments`, {
    name,
    workspace: 'data-engineering',
    settings: { highAvailability: true },
  });
  expect(created.status).toBe(201);
  const namespace: string = created.json.namespace;
  await expect
    .poll(
      async () =>
        (
          await astroApi('GET', `/organizations/${ORG}/deployments/${name}`)
        ).json.status,
      { timeout: 150_000 },
    )
    .toBe('HEALTHY');

  try {
    await signInAsGuest(page);
    await page.goto(`/astro/organizations/${ORG}/deployments/${name}`);
    await expect(page.getByRole('heading', { name })).toBeVisible();

    let airflow: Page;
    await test.step('open Airflow from the Deployment page', async () => {
      const open = page.getByRole('button', { name: 'Open Airflow' });
      await expect(open).toBeEnabled({ timeout: 60_000 });
      const popup = page.waitForEvent('popup');
      await open.click();
      airflow = await popup;
      // The ticket is redeemed and the tab lands on the Airflow UI.
      await airflow.waitForURL(
        url =>
          url.protocol.startsWith('http') &&
          !url.pathname.endsWith('/auth/portal'),
      );
      await expect(airflow.getByText(/^Signed in as /)).toContainText(
        `(${userRef}) · role Admin`,
      );
      await screenshot(airflow, 'airflow-signed-in');
    });

    const before = await readyApiServerPods(namespace);
    expect(before).toHaveLength(2);

    await test.step('both api-server replicas know the session', async () => {
      expect(await podsServing(airflow!, 'Admin')).toEqual(before);
    });

    await test.step('replaced api-server pods still know it', async () => {
      for (const pod of before) {
        await simulator(
          'DELETE',
          `/api/v1/namespaces/${namespace}/pods/${pod}`,
        );
      }
      await expect
        .poll(
          async () => {
            const now = await readyApiServerPods(namespace);
            return now.length === 2 && now.every(p => !before.includes(p));
          },
          { timeout: 60_000 },
        )
        .toBe(true);
      const after = await readyApiServerPods(namespace);
      expect(await podsServing(airflow!, 'Admin')).toEqual(after);
      await expect(airflow!.getByText(/^Signed in as /)).toContainText(
        `(${userRef})`,
      );
    });
  } finally {
    consoleGuard.expectFailedRequests(deploymentGone(name, ORG));
    await astroApi('DELETE', `/organizations/${ORG}/deployments/${name}`);
  }
});
