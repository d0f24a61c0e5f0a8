/**
 * `npm start` runs this first: builds the web app (dist/web) when it is missing, so that a
 * fresh `npm install && npm start` serves a working product at http://localhost:3000.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (fs.existsSync(path.join(root, 'dist/web/index.html'))) process.exit(0);
console.log('Building the web app (first start)…');
try {
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'web/vite.config.ts'), logLevel: 'warn' });
  console.log('Web app built into dist/web.');
} catch (error) {
  // Without dev dependencies (npm ci --omit=dev) there is no vite: build it beforehand (npm run build).
  console.error(`The web app could not be built (${(error as Error).message}); serving the API only.`);
}
