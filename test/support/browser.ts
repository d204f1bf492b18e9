/**
 * A real browser for page tests: Debian's chromium driven by playwright-core (Playwright's own
 * browser download does not work here). Not an `npm run peers` peer, but treated like one: where
 * chromium is missing the suite is skipped with the reason printed, and with
 * MESHFORM_REQUIRE_PEERS=1 (CI, after `.ci/run` installed it) it fails instead.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { PEERS_REQUIRED } from '@meshform/peers/testing/peers';

export const CHROMIUM = process.env.MESHFORM_CHROMIUM ?? '/usr/bin/chromium';

/** Why no browser test can run here, or undefined. */
export function browserMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `chromium is not installed at ${CHROMIUM} (apt-get install -y chromium, or set MESHFORM_CHROMIUM)`;
}

/** `describe` with a browser; without one: skipped with the reason, or failing under MESHFORM_REQUIRE_PEERS=1. */
export function describeWithBrowser(title: string, body: () => void): void {
  const missing = browserMissing();
  if (!missing) {
    describe(title, body);
    return;
  }
  if (!PEERS_REQUIRED) console.warn(`${title} skipped: ${missing}`);
  describe(title, () => {
    if (PEERS_REQUIRED) {
      it('needs chromium', () => {
        throw new Error(`MESHFORM_REQUIRE_PEERS=1 and ${missing}`);
      });
    } else {
      it.skip(`skipped: ${missing}`, () => undefined);
    }
  });
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Headless chromium with a fresh profile. Background networking, component updates and sync are
 * off: the closed network here refuses those connections, and tests must not depend on them.
 */
export async function launchBrowser(): Promise<Browser> {
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'meshform-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Where page tests save screenshots: `test-results/screenshots/` in the repository, or MESHFORM_SCREENSHOTS. */
export const SCREENSHOTS = process.env.MESHFORM_SCREENSHOTS ?? join(__dirname, '..', '..', 'test-results', 'screenshots');
