import { Request } from '@playwright/test';
import { test, expect, Page } from './fixtures';
import path from 'node:path';
import {
  SCREENSHOT_DIR,
  astroApi,
  screenshot,
  setSchedulerCrashLoop,
  signInAsGuest,
} from './helpers';

/*
 * Live updates through Backstage's signals: two people have the same
 * Deployment page open; its scheduler starts crash-looping on the
 * simulator; both pages show the new status within 2 s of the backend's
 * status change, and the only read of the Deployment either page made in
 * between is the one the signal triggered: the change was pushed, not
 * polled.
 */

test.use({ actionTimeout: 30_000 });

const ORG = 'demo';
/** The simulator's control API (app-config.yaml, or a side-by-side slot). */
/** How late a page may show a status change. */
const PUSH_BUDGET_MS = 2000;

interface Seen {
  /** Reads of the Deployment itself (not its sub-resources), by time. */
  reads: number[];
  /** Signals of the Deployment's channel that reached the page, by time. */
  signals: number[];
}

/** Records a page's reads of the Deployment and its signals. */
function watch(page: Page, name: string): Seen {
  const seen: Seen = { reads: [], signals: [] };
  const deploymentPath = `/api/astro/organizations/${ORG}/deployments/${name}`;
  page.on('request', (request: Request) => {
    if (
      request.method() === 'GET' &&
      new URL(request.url()).pathname === deploymentPath
    ) {
      seen.reads.push(Date.now());
    }
  });
  page.on('websocket', socket => {
    socket.on('framereceived', frame => {
      const text = typeof frame.payload === 'string' ? frame.payload : '';
      if (text.includes(`"astro:deployment:${ORG}/${name}"`)) {
        seen.signals.push(Date.now());
      }
    });
  });
  return seen;
}

async function openLive(page: Page, name: string) {
  await signInAsGuest(page);
  await page.goto(`/astro/organizations/${ORG}/deployments/${name}`);
  await expect(
    page.getByRole('status', { name: 'Deployment status' }),
  ).toHaveText('Healthy');
  // The backend's liveness signal arrives every 15 s.
  await expect(page.getByTestId('live-updates')).toBeVisible({
    timeout: 40_000,
  });
}

/**
 * When each page showed the status, by the page's clock (the same machine's
 * as the backend's), checked every 20 ms.
 */
async function shownAt(pages: Page[], label: string): Promise<number[]> {
  return Promise.all(
    pages.map(async page => {
      const shown = await page.waitForFunction(
        expected => {
          const status = document.querySelector(
            '[role="status"][aria-label="Deployment status"]',
          );
          return status?.textContent === expected ? Date.now() : false;
        },
        label,
        { polling: 20, timeout: 120_000 },
      );
      return (await shown.jsonValue()) as number;
    }),
  );
}

/** When the backend recorded the Deployment's change to `status`. */
async function statusChangedAt(name: string, status: string, since: number) {
  let at: number | undefined;
  await expect
    .poll(
      async () => {
        const { json } = await astroApi(
          'GET',
          `/organizations/${ORG}/deployments/${name}/events?limit=20`,
        );
        const event = (json.items as any[]).find(
          e =>
            e.action === 'status-changed' &&
            String(e.message).includes(`→ ${status}`) &&
            Date.parse(e.createdAt) >= since - 1000,
        );
        at = event ? Date.parse(event.createdAt) : undefined;
        return at;
      },
      { timeout: 30_000 },
    )
    .toBeDefined();
  return at!;
}

test('two open Deployment pages receive a status change within 2 s, pushed', async ({
  browser,
  consoleGuard,
}) => {
  test.setTimeout(8 * 60_000);
  const name = `live-${Date.now().toString(36)}`;
  const created = await astroApi('POST', `/organizations/${ORG}/deployments`, {
    name,
    workspace: 'data-engineering',
  });
  expect(created.status).toBe(201);
  const contexts = [await browser.newContext(), await browser.newContext()];
  contexts.forEach(consoleGuard.guard);
  let namespace: string | undefined;
  try {
    await expect
      .poll(
        async () =>
          (
            await astroApi('GET', `/organizations/${ORG}/deployments/${name}`)
          ).json.status,
        { timeout: 150_000 },
      )
      .toBe('HEALTHY');
    namespace = (
      await astroApi('GET', `/organizations/${ORG}/deployments/${name}`)
    ).json.namespace as string;

    const pages = await Promise.all(contexts.map(c => c.newPage()));
    const seen = pages.map(page => watch(page, name));
    for (const page of pages) {
      await openLive(page, name);
    }
    // Let the read that connecting makes settle.
    await pages[0].waitForTimeout(1000);

    await test.step('crash-loop the scheduler: both pages show Unhealthy', async () => {
      const start = Date.now();
      await setSchedulerCrashLoop(namespace!, true);
      const shown = await shownAt(pages, 'Unhealthy');
      const changed = await statusChangedAt(name, 'UNHEALTHY', start);
      for (const [i, page] of pages.entries()) {
        const delay = shown[i] - changed;
        test.info().annotations.push({
          type: `page ${i + 1}`,
          description: `Unhealthy shown ${delay} ms after the backend's change`,
        });
        // eslint-disable-next-line no-console
        console.log(
          `page ${i + 1}: signal +${seen[i].signals.map(
            t => t - changed,
          )} ms, reads +${seen[i].reads.map(
            t => t - changed,
          )} ms, shown +${delay} ms`,
        );
        expect(delay).toBeLessThanOrEqual(PUSH_BUDGET_MS);
        // Between the change and the update: one read, after a signal.
        const reads = seen[i].reads.filter(t => t >= changed && t <= shown[i]);
        expect(reads).toHaveLength(1);
        const signal = seen[i].signals.find(
          t => t >= changed - 50 && t <= reads[0],
        );
        expect(signal).toBeDefined();
        await screenshot(page, `live-updates-page-${i + 1}`);
        await page.screenshot({
          path: path.join(SCREENSHOT_DIR, `live-updates-page-${i + 1}-top.png`),
        });
      }
    });

    await test.step('undo the fault: both pages show Healthy again', async () => {
      const start = Date.now();
      await setSchedulerCrashLoop(namespace!, false);
      namespace = undefined;
      const shown = await shownAt(pages, 'Healthy');
      const changed = await statusChangedAt(name, 'HEALTHY', start);
      for (const [i, t] of shown.entries()) {
        // eslint-disable-next-line no-console
        console.log(`page ${i + 1}: Healthy shown +${t - changed} ms`);
        expect(t - changed).toBeLessThanOrEqual(PUSH_BUDGET_MS);
      }
    });
  } finally {
    if (namespace) {
      await setSchedulerCrashLoop(namespace, false);
    }
    for (const context of contexts) {
      await context.close();
    }
    await astroApi('DELETE', `/organizations/${ORG}/deployments/${name}`);
  }
});
