/**
 * Where the browser tests find Chromium (Debian's package; playwright-core downloads nothing),
 * and whether a missing one fails the run (REQUIRE_BROWSER=1, as CI sets) or only skips the
 * browser tests, said loudly at the end of the run.
 */
import fs from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const browserAvailable = (): boolean => fs.existsSync(CHROMIUM);

export const BROWSER_INSTALL_HINT =
  'Install Chromium (Debian/Ubuntu: `apt-get update && apt-get install -y chromium`), ' +
  'or set CHROMIUM_PATH to a Chromium or Chrome binary.';

export const BROWSER_SKIPPED_BANNER =
  `\n*** THE WEB APP'S BROWSER TESTS WERE SKIPPED: no Chromium at ${CHROMIUM}. ***\n` +
  `*** ${BROWSER_INSTALL_HINT} ***\n\n`;
