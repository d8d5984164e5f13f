import { defineConfig } from '@playwright/test';

/*
 * Browser end-to-end tests of the portal on its default config (SQLite, the
 * built-in Kubernetes simulator, guest sign-in), driven in Debian's Chromium.
 * `./dev test` runs them; the portal is started here unless one is already
 * running on :3000 and :7007 outside CI.
 */

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Another port pair (with an app-config.local.yaml to match) lets two
// checkouts run their browser tests side by side.
const frontendUrl = process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000';

export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  outputDir: 'node_modules/.cache/e2e-test-results',

  // `yarn start` runs the frontend (:3000) and the backend (:7007); the global
  // setup waits for the backend, which can come up after the frontend.
  globalSetup: './packages/app/e2e-tests/globalSetup.ts',
  webServer: [
    {
      command: 'yarn start',
      url: frontendUrl,
      reuseExistingServer: !process.env.CI,
      timeout: 300_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],

  use: {
    baseURL: frontendUrl,
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
