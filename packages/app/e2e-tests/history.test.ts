import { test, expect } from './fixtures';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  SCREENSHOT_DIR,
  SIMULATOR_TOKEN,
  SIMULATOR_URL,
  astroApi,
  openDeploymentTab,
  signInAsGuest,
  deploymentGone,
} from './helpers';

/*
 * The History card of a running Deployment on the default config: DAGs
 * deployed from the page run every minute on the simulated Airflow (one
 * succeeds, one fails), the monitoring pass records them with the
 * Deployment's health, workers and heartbeats, and the card charts them.
 */

test.use({ actionTimeout: 30_000 });

const ORG = 'demo';
/** The simulator of the portal under test (its control API). */

function dagsArchive(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'astro-e2e-history-'));
  mkdirSync(path.join(dir, 'dags'));
  for (const id of ['minutely_ok', 'minutely_failing']) {
    writeFileSync(
      path.join(dir, 'dags', `${id}.py`),
      `from airflow import DAG\nwith DAG(dag_id="${id}", schedule="* * * * *", is_paused_upon_creation=False):\n    pass\n`,
    );
  }
  const archive = path.join(dir, 'dags.tar.gz');
  execFileSync('tar', ['-czf', archive, '-C', path.join(dir, 'dags'), '.']);
  return archive;
}

test('the History card charts health, DAG runs, workers and heartbeats', async ({
  page,
  consoleGuard,
}) => {
  test.setTimeout(10 * 60_000);
  const name = `hist-${Date.now().toString(36)}`;
  const created = await astroApi('POST', `/organizations/${ORG}/deployments`, {
    name,
    workspace: 'data-engineering',
  });
  expect(created.status).toBe(201);
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
    const history = page.getByRole('region', { name: 'Deployment history' });
    await expect(history).toBeVisible();
    // Deploying is on the Deploys tab, the charts on Overview.
    await openDeploymentTab(page, 'Deploys');

    await test.step('deploy DAGs that run every minute, one failing', async () => {
      await page.getByRole('button', { name: 'Deploy DAGs' }).first().click();
      const dialog = page.getByRole('dialog');
      await dialog.locator('input[type=file]').setInputFiles({
        name: 'dags.tar.gz',
        mimeType: 'application/gzip',
        buffer: readFileSync(dagsArchive()),
      });
      await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
      await expect(
        dialog.getByText('Deployed: every component serves the new DAGs.'),
      ).toBeVisible({ timeout: 90_000 });
      await dialog.getByRole('button', { name: 'Close' }).click();
      const outcome = await fetch(
        `${SIMULATOR_URL}/simulator/v1/airflow/namespaces/${created.json.namespace}/dags/minutely_failing/outcome`,
        {
          method: 'PUT',
          headers: {
            Authorization: `Bearer ${SIMULATOR_TOKEN}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({ state: 'failed', durationSeconds: 5 }),
        },
      );
      expect(outcome.status).toBe(200);
    });

    await test.step('see the runs, workers and heartbeats charted', async () => {
      await openDeploymentTab(page, 'Overview');
      // The monitoring pass observes each Deployment once a minute; the
      // card reads the history again every 20 s.
      await expect(
        history.getByRole('img', { name: /^DAG runs\. / }),
      ).toHaveAccessibleName(
        /^DAG runs\. \d+ DAG runs? finished: [1-9]\d* successful, [1-9]\d* failed/,
        { timeout: 6 * 60_000 },
      );
      await expect(
        history.getByRole('img', { name: /^Health\. / }),
      ).toHaveAccessibleName(
        /^Health\. Healthy in \d+ of \d+ monitoring passes/,
      );
      await expect(
        history.getByRole('img', { name: /^Worker replicas\. / }),
      ).toHaveAccessibleName(
        /^Worker replicas\. (Ready workers between \d+ and \d+|\d+ ready workers throughout); at the end \d+ ready of \d+ wanted\.$/,
      );
      await expect(
        history.getByRole('img', { name: /^Scheduler heartbeat age\. / }),
      ).toHaveAccessibleName(/Scheduler heartbeat at most \d+ s old/);
      // Recharts drew all four, with bars for the runs.
      await expect(history.locator('svg.recharts-surface')).toHaveCount(4);
      expect(
        await history
          .getByRole('img', { name: /^DAG runs\. / })
          .locator('.recharts-bar-rectangle')
          .count(),
      ).toBeGreaterThan(1);
      // Each chart fits the card (a fixed-width chart must not widen it).
      const card = page.locator('[class*="MuiCard-root"]', { has: history });
      const cardBox = await card.boundingBox();
      for (const chart of await history.locator('svg.recharts-surface').all()) {
        const box = await chart.boundingBox();
        expect(box!.x + box!.width).toBeLessThanOrEqual(
          cardBox!.x + cardBox!.width,
        );
      }
      await history.scrollIntoViewIfNeeded();
      await page
        .locator('[class*="MuiCard-root"]', { has: history })
        .screenshot({
          path: path.join(SCREENSHOT_DIR, 'deployment-history.png'),
        });
    });

    await test.step('switch to 7 days', async () => {
      const week = page.getByRole('button', { name: 'the last 7 days' });
      await week.click();
      await expect(week).toHaveAttribute('aria-pressed', 'true');
      await expect(
        history.getByText(/Each point covers 30 minutes/),
      ).toBeVisible();
      await page
        .locator('[class*="MuiCard-root"]', { has: history })
        .screenshot({
          path: path.join(SCREENSHOT_DIR, 'deployment-history-7d.png'),
        });
    });
  } finally {
    consoleGuard.expectFailedRequests(deploymentGone(name, ORG));
    await astroApi('DELETE', `/organizations/${ORG}/deployments/${name}`);
  }
});
