/**
 * The audit page and the list are JSON text written by PostgreSQL and sent as bytes
 * (src/http/json-text.ts). Over a real socket, for any name an audit can have (any Unicode),
 * the answer's Content-Length is its byte length, its type says UTF-8, and it parses back to
 * the name that was saved: on both databases, on the page and in the list.
 */
import type { AddressInfo } from 'node:net';

import fc from 'fast-check';
import { expect, it } from 'vitest';

import { appPerBlock } from '../harness/app.js';
import { call, createAudit, signup } from '../harness/client.js';
import { describeEachDatabase } from '../harness/databases.js';

/** Names the contract takes (1–255 characters, not all blank), multi-byte ones above all. */
const auditName = fc
  .oneof(
    fc.constantFrom('ü ✓ 日本 🎉', '"quoted" \\ back', '</script>', '\u0001\u001f\u007f', 'é'.repeat(255)),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
  )
  .map((s) => s.replaceAll('\u0000', ''))
  .filter((s) => /\S/.test(s) && [...s].length <= 255);

/** A GET over the socket: the raw bytes, as a client receives them. */
async function getBytes(base: string, path: string, token: string) {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { response, bytes };
}

describeEachDatabase('JSON answers sent as bytes', (get) => {
  const app = appPerBlock(get);

  it('carry their byte length, say UTF-8, and give back any name as it was saved', async () => {
    await app().listen({ host: '127.0.0.1', port: 0 });
    const { port } = app().server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    const account = await signup(app());
    const auditId = await createAudit(app(), account, 'First');

    await fc.assert(
      fc.asyncProperty(auditName, async (name) => {
        const renamed = await call(app(), 'PATCH', `/api/audits/${auditId}`, { name }, { token: account.token });
        expect(renamed.status).toBe(200);
        for (const path of [`/api/audits/${auditId}`, '/api/audits?limit=5']) {
          const { response, bytes } = await getBytes(base, path, account.token);
          expect(response.status).toBe(200);
          expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
          expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
          const body = JSON.parse(bytes.toString('utf8')) as {
            audit?: { name: string };
            items?: { id: string; name: string }[];
          };
          const saved = body.audit ?? body.items?.find((item) => item.id === auditId);
          expect(saved?.name).toBe(name);
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
