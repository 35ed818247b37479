// End-to-end tests of the page in Debian's Chromium (no browser download: Playwright's own
// browser builds cannot be fetched here). `npm test` builds www/ first; see scripts/test.sh.
import { defineConfig } from '@playwright/test';

// E2E_PORT lets two runs (say, a developer's and a clean-clone check) share a machine.
const PORT = Number(process.env.E2E_PORT ?? 8123);

export default defineConfig({
  testDir: 'tests',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--disable-gpu', '--disable-quic'],
    },
  },
  webServer: {
    command: `node scripts/serve.mjs www ${PORT}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 20_000,
  },
});
