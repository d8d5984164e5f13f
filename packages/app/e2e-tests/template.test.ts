import {
  APIRequestContext,
  request as playwrightRequest,
} from '@playwright/test';
import { expect, Page, test } from './fixtures';
import {
  BACKEND_URL,
  SIMULATOR_TOKEN,
  SIMULATOR_URL,
  screenshot,
  signInAsGuest,
} from './helpers';

/*
 * The "New Airflow Deployment" software template and the catalog projection,
 * end to end in the running portal: the template creates a Deployment as the
 * guest user, waits until the simulator runs it HEALTHY, and the catalog
 * shows the AstroDeployment entity with its relations.
 */

const ORGANIZATION = 'demo';
/** A secret variable's value: it must reach the cluster and nothing else. */
const SECRET = `e2e-secret-${Date.now().toString(36)}`;
const WORKSPACE = 'data-engineering';
/** How long the template's astro:deployment:wait step may take at most. */
const HEALTHY_TIMEOUT_MS = 600_000;

/** The portal's backend API as the guest user. */
async function backendAsGuest(): Promise<APIRequestContext> {
  const anonymous = await playwrightRequest.newContext({
    baseURL: BACKEND_URL,
  });
  const refresh = await anonymous.get('/api/auth/guest/refresh');
  expect(refresh.ok()).toBe(true);
  const { token } = (await refresh.json()).backstageIdentity;
  await anonymous.dispose();
  return playwrightRequest.newContext({
    baseURL: BACKEND_URL,
    extraHTTPHeaders: { Authorization: `Bearer ${token}` },
  });
}

const deploymentPath = (name: string) =>
  `/api/astro/organizations/${ORGANIZATION}/deployments/${name}`;

/** A fresh Deployment name (a DNS label) for this run. */
function uniqueName(prefix: string) {
  return `${prefix}-${Date.now().toString(36)}`;
}

/** Relation types of an entity, read from the catalog's API. */
async function catalogRelations(
  api: APIRequestContext,
  name: string,
): Promise<string[]> {
  const response = await api.get(
    `/api/catalog/entities/by-name/astrodeployment/${ORGANIZATION}/${name}`,
  );
  if (!response.ok()) {
    return [];
  }
  const entity = await response.json();
  return (entity.relations ?? [])
    .map((r: { type: string; targetRef: string }) => `${r.type} ${r.targetRef}`)
    .sort();
}

/** The values of the user variables' Kubernetes Secret on the simulator. */
async function clusterSecretValues(namespace: string): Promise<string[]> {
  const response = await fetch(
    `${SIMULATOR_URL}/api/v1/namespaces/${namespace}/secrets/airflow-env`,
    { headers: { Authorization: `Bearer ${SIMULATOR_TOKEN}` } },
  );
  if (!response.ok) {
    return [];
  }
  const secret = await response.json();
  return [
    ...Object.values<string>(secret.data ?? {}).map(v =>
      Buffer.from(v, 'base64').toString('utf8'),
    ),
    ...Object.values<string>(secret.stringData ?? {}),
  ];
}

const expectedRelations = (owner: string) =>
  [
    'dependsOn astrocluster:default/simulator',
    `ownedBy ${owner}`,
    `partOf astroworkspace:${ORGANIZATION}/${WORKSPACE}`,
  ].sort();

async function openTemplate(page: Page) {
  await signInAsGuest(page);
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Create' })
    .click();
  const card = page
    .locator('.MuiCard-root')
    .filter({ hasText: 'New Airflow Deployment' });
  await card.getByRole('button', { name: /choose/i }).click();
  await expect(
    page.getByRole('heading', { name: 'New Airflow Deployment' }),
  ).toBeVisible();
}

test.describe('the New Airflow Deployment template', () => {
  let api: APIRequestContext;
  const created: string[] = [];

  test.beforeAll(async () => {
    api = await backendAsGuest();
  });

  test.afterAll(async () => {
    for (const name of created) {
      await api.delete(deploymentPath(name));
    }
    await api.dispose();
  });

  test('the catalog shows a Deployment created through the API, with its relations, within 10 seconds', async () => {
    const name = uniqueName('e2e-api');
    const response = await api.post(
      `/api/astro/organizations/${ORGANIZATION}/deployments`,
      { data: { name, workspace: WORKSPACE } },
    );
    expect(response.status()).toBe(201);
    created.push(name);
    const started = Date.now();

    await expect
      .poll(() => catalogRelations(api, name), {
        timeout: 10_000,
        intervals: [250],
      })
      .toEqual(expectedRelations(`group:default/${WORKSPACE}`));
    test.info().annotations.push({
      type: 'catalog delay',
      description: `${Date.now() - started} ms`,
    });
  });

  test('creates a Deployment from the Create page that becomes HEALTHY', async ({
    page,
  }) => {
    test.setTimeout(HEALTHY_TIMEOUT_MS + 180_000);

    // A name that is taken, to see the live check refuse it.
    const taken = uniqueName('e2e-taken');
    expect(
      (
        await api.post(`/api/astro/organizations/${ORGANIZATION}/deployments`, {
          data: { name: taken, workspace: WORKSPACE },
        })
      ).status(),
    ).toBe(201);
    created.push(taken);

    const name = uniqueName('e2e-tpl');
    await openTemplate(page);

    // 1. Deployment: workspace from the API, name checked while typed.
    const workspaceLabel = [
      (await (await api.get(`/api/astro/organizations/${ORGANIZATION}`)).json())
        .title,
      (
        await (
          await api.get(
            `/api/astro/organizations/${ORGANIZATION}/workspaces/${WORKSPACE}`,
          )
        ).json()
      ).title,
    ].join(' / ');
    const workspace = page.getByRole('textbox', { name: /Workspace/ });
    await expect(workspace).toBeEnabled();
    await workspace.click();
    await page.getByRole('option', { name: workspaceLabel }).click();
    await expect(workspace).toHaveValue(workspaceLabel);
    const nameField = page.getByRole('textbox', { name: /^Name/ });
    await nameField.fill('Not_Valid');
    await expect(
      page.getByText(/The name must consist of lowercase letters/),
    ).toBeVisible();
    await nameField.fill(taken);
    await expect(
      page.getByText(`${ORGANIZATION} already has a Deployment named ${taken}`),
    ).toBeVisible();
    await nameField.fill(name);
    await expect(page.getByText(`${name} is available`)).toBeVisible();
    await page.getByRole('textbox', { name: /^Title/ }).fill('E2E Deployment');
    await page.getByRole('button', { name: 'Next' }).click();

    // 2. Airflow settings, offered from /deployment-options, as the create
    // form asks for them.
    const options = await (
      await api.get('/api/astro/deployment-options')
    ).json();
    const versions = page.getByRole('combobox', { name: 'Airflow version' });
    await expect(versions).toBeVisible();
    await expect(versions.locator('option')).toHaveCount(
      options.runtimeReleases.length,
    );
    const defaultRelease = options.runtimeReleases.find(
      (r: { isDefault: boolean }) => r.isDefault,
    );
    await expect(versions).toHaveValue(defaultRelease.airflowVersion);
    await expect(page.getByRole('combobox', { name: 'Executor' })).toHaveValue(
      options.defaultExecutor,
    );
    await page
      .getByRole('combobox', { name: 'Scheduler size' })
      .selectOption('MEDIUM');
    await page
      .getByRole('checkbox', { name: 'High availability (two schedulers)' })
      .check();

    // A bound out of range: one message at the field, the step names it.
    const ceiling = options.workerQueues.maxWorkers.ceiling;
    const defaultQueue = page.getByRole('group', {
      name: `Worker queue ${options.workerQueues.defaultQueueName}`,
    });
    const maxWorkers = defaultQueue.getByRole('spinbutton', {
      name: 'Maximum workers',
    });
    await maxWorkers.fill(String(ceiling + 1));
    await expect(page.getByText(`must be at most ${ceiling}`)).toHaveCount(1);
    // Moving on is refused at the field, without the browser's bubble.
    await maxWorkers.blur();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(maxWorkers).toBeFocused();
    await expect(versions).toBeVisible();
    await expect(page.getByText(`must be at most ${ceiling}`)).toHaveCount(1);
    await expect(page.getByText(/workerQueues\[/)).toHaveCount(0);
    await maxWorkers.fill('4');

    // A second queue.
    await page.getByRole('button', { name: 'Add worker queue' }).click();
    await page
      .getByRole('group', { name: 'Worker queue 2' })
      .getByRole('textbox', { name: /Queue name/ })
      .fill('etl');
    const etl = page.getByRole('group', { name: 'Worker queue etl' });
    await etl.getByRole('spinbutton', { name: 'Maximum workers' }).fill('3');
    await etl.getByRole('spinbutton', { name: 'Concurrency' }).fill('8');

    // A plain and a secret variable.
    await page.getByRole('button', { name: 'Add variable' }).click();
    await page.getByRole('button', { name: 'Add variable' }).click();
    const plain = page.getByRole('group', { name: 'Variable 1' });
    await plain.getByRole('textbox', { name: 'Key' }).fill('LOG_LEVEL');
    await plain.getByRole('textbox', { name: 'Value' }).fill('debug');
    const secret = page.getByRole('group', { name: 'Variable 2' });
    await secret.getByRole('textbox', { name: 'Key' }).fill('API_TOKEN');
    await secret.getByRole('checkbox', { name: 'Secret' }).check();
    // A secret without value: the field says so once, the step names it.
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(
      page.getByText(
        "'Airflow settings' need fixing: Variable API_TOKEN, Value",
      ),
    ).toBeVisible();
    await expect(
      page.getByText('is required for a new secret variable'),
    ).toHaveCount(1);
    await screenshot(page, 'template-settings-problem');
    await secret.getByLabel('Value').fill(SECRET);
    await screenshot(page, 'template-settings');
    await page.getByRole('button', { name: 'Next' }).click();

    // 3. No DAG repository: nothing can be published here.
    await expect(
      page.getByRole('checkbox', {
        name: /Create a DAG repository for this Deployment/,
      }),
    ).not.toBeChecked();
    await page.getByRole('button', { name: 'Review' }).click();

    // 4. Review, in the form's words, and run.
    const machine = options.workerQueues.defaultWorkerMachine;
    const minWorkers = options.workerQueues.minWorkers.default;
    const medium = options.schedulerSizes.find(
      (s: { size: string }) => s.size === 'MEDIUM',
    );
    const review = page.locator('table').first();
    await expect(review.getByText(name).first()).toBeVisible();
    for (const line of [
      `Airflow version: ${defaultRelease.airflowVersion}`,
      'Executor: Celery',
      `Scheduler size: Medium (${medium.cpu} CPU, ${medium.memory} memory)`,
      'High availability: On (two schedulers)',
      `Worker queues: ${options.workerQueues.defaultQueueName} (${machine}, ${minWorkers}–4 workers, default queue); etl (${machine}, ${minWorkers}–3 workers, 8 tasks each)`,
      'Environment variables: LOG_LEVEL=debug, API_TOKEN (secret)',
    ]) {
      await expect(review.getByText(line, { exact: true })).toBeVisible();
    }
    const reviewText = await review.innerText();
    expect(reviewText).not.toContain(SECRET);
    expect(reviewText).not.toMatch(
      /CELERY|isDefault|workerQueues|\b(true|false)\b/,
    );
    await screenshot(page, 'template-review');
    await page.getByRole('button', { name: 'Create' }).click();
    created.push(name);

    // The task creates the Deployment in the API as the guest …
    await expect
      .poll(async () => (await api.get(deploymentPath(name))).status(), {
        timeout: 60_000,
      })
      .toBe(200);
    const deployment = await (await api.get(deploymentPath(name))).json();
    expect(deployment).toMatchObject({
      workspace: WORKSPACE,
      title: 'E2E Deployment',
      createdBy: expect.stringMatching(/^user:.*\/guest$/),
      settings: {
        airflowVersion: defaultRelease.airflowVersion,
        schedulerSize: 'MEDIUM',
        highAvailability: true,
        workerQueues: [
          expect.objectContaining({ isDefault: true, maxWorkers: 4 }),
          expect.objectContaining({
            name: 'etl',
            isDefault: false,
            maxWorkers: 3,
            concurrency: 8,
          }),
        ],
        environmentVariables: [
          { key: 'LOG_LEVEL', value: 'debug', secret: false },
          { key: 'API_TOKEN', secret: true },
        ],
      },
    });

    // The secret reached the cluster, and nothing the scaffolder keeps.
    await expect
      .poll(() => clusterSecretValues(deployment.namespace), {
        timeout: 60_000,
      })
      .toContain(SECRET);
    const taskId = /\/tasks\/([^/?#]+)/.exec(page.url())?.[1];
    expect(taskId).toBeTruthy();
    const task = await api.get(`/api/scaffolder/v2/tasks/${taskId}`);
    expect(task.ok()).toBe(true);
    expect(await task.text()).not.toContain(SECRET);

    // … the catalog shows it with its relations within 10 seconds …
    await expect
      .poll(() => catalogRelations(api, name), {
        timeout: 10_000,
        intervals: [250],
      })
      .toEqual(expectedRelations(`group:default/${WORKSPACE}`));

    // … and the task finishes once the simulator runs it HEALTHY.
    await expect(
      page.getByRole('link', { name: 'Open the Deployment' }),
    ).toBeVisible({
      timeout: HEALTHY_TIMEOUT_MS + 60_000,
    });
    await expect(page.getByText(/is\s+HEALTHY in workspace/)).toBeVisible();
    await screenshot(page, 'template-task');
    expect((await (await api.get(deploymentPath(name))).json()).status).toBe(
      'HEALTHY',
    );
    const events = await api.get(`/api/scaffolder/v2/tasks/${taskId}/events`);
    expect(events.ok()).toBe(true);
    const log = await events.text();
    expect(log).toContain('Created Deployment');
    expect(log).not.toContain(SECRET);
    expect(
      await (await api.get(`/api/scaffolder/v2/tasks/${taskId}`)).text(),
    ).not.toContain(SECRET);

    // The catalog's entity page of the new Deployment.
    await page.getByRole('link', { name: 'Open in catalog' }).click();
    await expect(
      page.getByRole('heading', { name: /E2E Deployment/ }).first(),
    ).toBeVisible();
    // Its relations in the header: the owning group and the workspace.
    await expect(page.getByText('Part of')).toBeVisible();
    await expect(page.getByText('Data Engineering').first()).toBeVisible();
    await expect(page.getByText('data-engineering').first()).toBeVisible();
    await screenshot(page, 'template-entity');
  });
});
