// Browser end-to-end tests: Playwright drives Debian's Chromium against the whole stack, started by the launcher
// (support/global-setup.js) on loopback with its own data directory and ports.
import { defineConfig } from '@playwright/test';
import { BASE_URL, CHROMIUM, CHROMIUM_ARGS, VIEWPORT } from './support/browser.js';

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  globalSetup: './support/global-setup.js', // returns the teardown: SIGTERM to the launcher, wait for it to exit
  // One worker: the machine has 2 cores, and the three JVMs and PostgreSQL under test need them as much as Chromium.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [
    ['list'],
    ['html', { outputFolder: 'playwright-report', open: 'never' }],
    ['./support/summary-reporter.js'],
  ],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
    baseURL: BASE_URL,
    viewport: VIEWPORT,
    locale: 'en-GB',
    timezoneId: 'UTC',
    serviceWorkers: 'allow',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
