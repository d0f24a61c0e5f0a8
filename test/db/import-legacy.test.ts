import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

import { expect, it } from 'vitest';

import { parseKey, SecretBox } from '../../src/domain/secret-box.js';
import { importLegacy, LEGACY_STORES } from '../../src/cli/import-legacy.js';
import { hashToken } from '../../src/domain/tokens.js';
import { buildTestApp } from '../harness/app.js';
import { call } from '../harness/client.js';
import { describeEachDatabase } from '../harness/databases.js';

const snapshot = JSON.parse(
  fs.readFileSync(fileURLToPath(new URL('../fixtures/legacy-snapshot.json', import.meta.url)), 'utf8'),
) as Record<string, unknown[]>;

describeEachDatabase('import of the old in-memory data', (get) => {
  it('loads every store, keeps ids, passwords and old JSON; twice adds nothing; reports invalid records', async () => {
    expect(Object.keys(snapshot).sort()).toEqual([...LEGACY_STORES].sort());
    const box = new SecretBox(parseKey(Buffer.alloc(32, 9).toString('base64')));
    const report = await importLegacy(get().database, snapshot, { seal: (text) => box.seal(text) });

    for (const store of LEGACY_STORES) expect(report[store].imported, store).toBeGreaterThan(0);
    expect(report.users).toMatchObject({ imported: 3 });
    expect(report.users.invalid).toEqual([
      { index: 3, id: 'bad id!', reason: 'id is not an id (1–50 of A-Z a-z 0-9 _ -)' },
    ]);
    expect(report.users.warnings).toEqual(
      expect.arrayContaining([
        'record 1 (user_old_2): ignored fields legacyFlag',
        'record 2 (user_orphan): organizationId org_gone not found, set to null',
      ]),
    );
    expect(report.audits.imported).toBe(2);
    expect(report.audits.invalid).toEqual([
      { index: 2, id: 'audit_nowhere', reason: 'organizationId org_gone is not in the snapshot or the database' },
    ]);
    expect(report.audits.warnings).toContain('record 1 (audit_old_2): userId user_deleted not found, set to null');
    expect(report.toolCosts.invalid).toEqual([{ index: 1, id: 'cost_bad', reason: 'amount is not an amount' }]);

    // The old server's tokens were in clear: they are sealed now, and still the same tokens.
    const [credential] = await get().database.query<{ access_token: string; refresh_token: string }>(
      "SELECT access_token, refresh_token FROM integration_credentials WHERE id = 'intg_old_1'",
    );
    expect(credential?.access_token).toMatch(/^enc:v1:/);
    expect(box.open(credential!.access_token)).toBe('old-access');
    expect(box.open(credential!.refresh_token)).toBe('old-refresh');

    // The comments' author follows the audit from their earliest comment (the top one, listed second).
    expect(
      await get().database.query<{ user_id: string; first: string }>(
        "SELECT user_id, to_char(first_commented_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS first FROM audit_commenters WHERE audit_id = 'audit_old_1'",
      ),
    ).toEqual([{ user_id: 'user_demo_123', first: '2025-01-01 12:00' }]);

    // Twice: nothing more.
    const again = await importLegacy(get().database, snapshot);
    for (const store of LEGACY_STORES) expect(again[store].imported, store).toBe(0);
    expect(again.users.skipped).toBe(3);

    // What users see through the API.
    const app = await buildTestApp(get().database);
    try {
      const login = await call<{ token: string; user: { id: string } }>(app, 'POST', '/api/auth/login', {
        email: 'demo@stackaudit.ai',
        password: 'demo123',
      });
      expect(login.status).toBe(200);
      expect(login.body.user.id).toBe('user_demo_123');
      const detail = await call<{ audit: { id: string; name: string }; analysis: Record<string, unknown> }>(
        app,
        'GET',
        '/api/audits/audit_old_1',
        undefined,
        { token: login.body.token },
      );
      expect(detail.body.audit.name).toBe('Q1 2025 Stack Audit');
      // The old analysis, as stored, even without the newer fields.
      expect(detail.body.analysis).toMatchObject({
        id: 'analysis_old_1',
        summary: { totalCost: 350, oldFieldOnly: true },
        recommendations: [{ text: 'Old style recommendation' }],
      });
      const comments = await call<{ items: { id: string; replies: { id: string }[] }[] }>(
        app,
        'GET',
        '/api/audits/audit_old_1/comments',
        undefined,
        { token: login.body.token },
      );
      expect(comments.body.items.map((c) => [c.id, c.replies.map((r) => r.id)])).toEqual([['cmt_top', ['cmt_reply']]]);
      // The old invite link still works: its token is stored hashed now.
      const invite = await call(app, 'GET', '/api/invites/legacy-invite-token-0123456789abcdef');
      expect(invite.status).toBe(200);
      const [row] = await get().database.query<{ token: string }>(
        "SELECT token FROM team_invites WHERE id = 'inv_old_1'",
      );
      expect(row?.token).toBe(hashToken('legacy-invite-token-0123456789abcdef'));
      const prefs = await call(app, 'GET', '/api/me/notification-preferences', undefined, { token: login.body.token });
      expect(prefs.body).toMatchObject({ emailMentions: false, emailWeeklyDigest: false });
    } finally {
      await app.close();
    }
  });

  it('without ENCRYPTION_KEY the old tokens are left out, never stored in clear', async () => {
    const credential = {
      ...(snapshot.integrationCredentials![0] as Record<string, unknown>),
      id: 'intg_old_2',
      provider: 'xero',
    };
    const report = await importLegacy(get().database, { integrationCredentials: [credential] });
    expect(report.integrationCredentials.imported).toBe(1);
    expect(report.integrationCredentials.warnings).toEqual([
      'record 0 (intg_old_2): accessToken left out (no ENCRYPTION_KEY to seal it): connect again',
      'record 0 (intg_old_2): refreshToken left out (no ENCRYPTION_KEY to seal it): connect again',
    ]);
    const [row] = await get().database.query(
      "SELECT access_token, refresh_token FROM integration_credentials WHERE id = 'intg_old_2'",
    );
    expect(row).toEqual({ access_token: null, refresh_token: null });
  });

  it('refuses what is not a snapshot, changing nothing', async () => {
    await expect(importLegacy(get().database, [])).rejects.toThrow('must be a JSON object');
    await expect(importLegacy(get().database, { people: [] })).rejects.toThrow(
      'Unknown stores in the snapshot: people',
    );
    await expect(importLegacy(get().database, { users: 'x' })).rejects.toThrow('users must be an array');
  });
});
