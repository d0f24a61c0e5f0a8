/** The real-format payloads copied from ../shared/fixtures (see test/fixtures/external/README.md). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXTERNAL_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/external');

/** A fixture file's text, e.g. externalFixture('bank_csv/wise_statement.csv'). */
export const externalFixture = (relativePath: string): string =>
  readFileSync(path.join(EXTERNAL_FIXTURES, relativePath), 'utf8');
