/**
 * Backup and restore: embedded → PostgreSQL → embedded with every table populated gives
 * identical content; restores refuse a database holding data unless forced.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it, vi } from 'vitest';

import { AcceptedRecommendationRepository } from '../../src/repositories/accepted-recommendation.repository.js';
import { AppUsageRepository } from '../../src/repositories/app-usage.repository.js';
import { RenewalRepository } from '../../src/repositories/renewal.repository.js';
import { VendorRuleRepository } from '../../src/repositories/vendor-rule.repository.js';
import { BACKUP_FORMAT, restoreBackup, RestoreError, TABLE_ORDER, writeBackup } from '../../src/cli/backup.js';
import type { Database } from '../../src/db/database.js';
import { migrationNames, migrationStatus } from '../../src/db/migrate.js';
import { AiCallRepository } from '../../src/repositories/ai-call.repository.js';
import { AiNarrativeRepository } from '../../src/repositories/ai-narrative.repository.js';
import { AnalysisResultRepository } from '../../src/repositories/analysis-result.repository.js';
import { AuditCommentRepository } from '../../src/repositories/audit-comment.repository.js';
import { AuditShareRepository } from '../../src/repositories/audit-share.repository.js';
import { AuditUserShareRepository } from '../../src/repositories/audit-user-share.repository.js';
import { CollaborationActivityRepository } from '../../src/repositories/collaboration-activity.repository.js';
import { CommentReactionRepository } from '../../src/repositories/comment-reaction.repository.js';
import { DigestRepository } from '../../src/repositories/digest.repository.js';
import { EmailOutboxRepository } from '../../src/repositories/email-outbox.repository.js';
import { IntegrationCredentialRepository } from '../../src/repositories/integration-credential.repository.js';
import { NotificationPreferencesRepository } from '../../src/repositories/notification-preferences.repository.js';
import { NotificationRepository } from '../../src/repositories/notification.repository.js';
import { RateLimitRepository } from '../../src/repositories/rate-limit.repository.js';
import { SessionRepository } from '../../src/repositories/session.repository.js';
import { OAuthStateRepository } from '../../src/repositories/oauth-state.repository.js';
import { ExchangeRateRepository } from '../../src/repositories/exchange-rate.repository.js';
import { StripeEventRepository } from '../../src/repositories/stripe-event.repository.js';
import { AccountTokenRepository } from '../../src/repositories/account-token.repository.js';
import { SubscriptionRepository } from '../../src/repositories/subscription.repository.js';
import { TeamInviteRepository } from '../../src/repositories/team-invite.repository.js';
import { ToolCostRepository } from '../../src/repositories/tool-cost.repository.js';
import { createTestDatabase, postgresAvailable } from '../harness/databases.js';
import { makeAudit, makeTenant, makeUser } from '../harness/factories.js';

async function populate(database: Database): Promise<void> {
  const db = database.db;
  const { organization, admin } = await makeTenant(db);
  const member = await makeUser(db, organization.id, 'member', 'Ünïcode Ñame "quoted"');
  const audit = await makeAudit(db, organization.id, admin.id, 'Backed up');
  const analysis = await new AnalysisResultRepository(db).create(organization.id, {
    auditId: audit.id,
    summary: { headline: 'x', nested: { a: [1, 2.5, null, 'é'] } },
    recommendations: [],
    costAnalysis: {},
    riskAssessment: { score: 3 },
  });
  const narratives = new AiNarrativeRepository(db);
  await narratives.queue(organization.id, analysis!.id, audit.id);
  await narratives.complete(
    { organizationId: organization.id, analysisId: analysis!.id, auditId: audit.id, attempts: 0 },
    { summary: [{ text: 'Ünïcode', ref: null }], plan: [] },
    'm',
  );
  const calls = new AiCallRepository(db);
  const call = await calls.start(organization.id, {
    auditId: audit.id,
    userId: admin.id,
    kind: 'question',
    model: 'm',
    day: '2025-05-20',
    reservedTokens: 1700,
  });
  await calls.finish(organization.id, call.id, {
    promptTokens: 900,
    completionTokens: 80,
    totalTokens: 980,
    tokensEstimated: false,
    latencyMs: 1234,
    outcome: 'ok',
  });
  await new SubscriptionRepository(db).create(organization.id, {
    stripeSubscriptionId: 'sub_123',
    plan: 'pro',
    status: 'active',
    currentPeriodStart: new Date('2025-01-01T00:00:00.123Z'),
    currentPeriodEnd: null,
    cancelAtPeriodEnd: true,
  });
  await new TeamInviteRepository(db).create(organization.id, {
    email: 'x@y.org',
    role: 'viewer',
    invitedBy: admin.id,
    tokenHash: 'h'.repeat(64),
    expiresAt: new Date('2030-01-01T00:00:00Z'),
  });
  const comments = new AuditCommentRepository(db);
  const top = (await comments.create(organization.id, {
    auditId: audit.id,
    userId: admin.id,
    content: 'top <b>html</b>',
  }))!;
  const reply = (await comments.create(organization.id, {
    auditId: audit.id,
    userId: member.id,
    parentId: top.id,
    content: 'reply',
  }))!;
  // Posted as the API posts one: its job still waits in the fan-out queue.
  await comments.createWithActivity(
    organization.id,
    { id: member.id, role: member.role },
    { auditId: audit.id, parentId: top.id, content: 'not told yet' },
  );
  await new CommentReactionRepository(db).add(organization.id, {
    commentId: reply.id,
    userId: admin.id,
    reaction: '🎉',
  });
  await new AuditShareRepository(db).setVisibility(organization.id, audit.id, 'public', 't'.repeat(43));
  await new AuditUserShareRepository(db).upsert(organization.id, {
    auditId: audit.id,
    userId: member.id,
    permission: 'edit',
  });
  await new CollaborationActivityRepository(db).record(organization.id, {
    auditId: audit.id,
    userId: admin.id,
    action: 'comment_added',
    metadata: { k: 'v' },
  });
  await new NotificationPreferencesRepository(db).update(organization.id, member.id, { emailMentions: false });
  await new IntegrationCredentialRepository(db).upsert(organization.id, 'xero', {
    accessToken: 'enc:v1:abc',
    refreshToken: null,
    tokenExpiresAt: new Date('2031-02-03T04:05:06.789Z'),
    config: { tenant: 't' },
  });
  await new ToolCostRepository(db).insertMany(organization.id, [
    {
      source: 'csv',
      toolName: 'Slack',
      amount: '1234.56',
      currency: 'EUR',
      billingPeriodStart: '2025-02-01',
      billingPeriodEnd: '2025-02-28',
    },
  ]);
  await new AccountTokenRepository(db).create({
    userId: member.id,
    purpose: 'verify_email',
    tokenHash: 'v'.repeat(64),
    email: member.email,
    expiresAt: new Date('2030-01-02T03:04:05.678Z'),
  });
  await new SessionRepository(db).create({
    userId: admin.id,
    tokenHash: 's'.repeat(64),
    expiresAt: new Date('2030-01-01T00:00:00Z'),
    userAgent: 'test',
    ip: '127.0.0.1',
  });
  await new RateLimitRepository(db).hit('login:ip:127.0.0.1', 900);
  await new EmailOutboxRepository(db).enqueue({
    organizationId: organization.id,
    template: 'invite',
    to: 'x@y.org',
    subject: 'S',
    text: 'T',
    html: '<p>H</p>',
  });
  await new NotificationRepository(db).create(organization.id, {
    userId: member.id,
    type: 'mention',
    auditId: audit.id,
    commentId: reply.id,
    actorId: admin.id,
    text: 'hi',
  });
  await new DigestRepository(db).claim(member.id, '2025-01-06');
  await new StripeEventRepository(db).record('evt_backup', 'invoice.paid', new Date('2025-03-04T05:06:07Z'));
  await new ExchangeRateRepository(db).replace(organization.id, [{ currency: 'EUR', rate: '1.0850000001' }]);
  await new OAuthStateRepository(db).create({
    stateHash: 'f'.repeat(64),
    organizationId: organization.id,
    userId: admin.id,
    sessionId: 'sess_backup',
    provider: 'xero',
    codeVerifier: 'enc:v1:00000000:a:b:c',
    expiresAt: new Date('2030-01-01T00:00:00Z'),
  });
  await new VendorRuleRepository(db).upsert(organization.id, {
    merchantKey: 'acme analytics',
    decision: 'software',
    toolName: 'Acme Analytics',
    vendor: null,
    decidedBy: admin.id,
  });
  await new AcceptedRecommendationRepository(db).create(organization.id, {
    auditId: audit.id,
    recommendationKey: 'cancel:Slack',
    type: 'cancel',
    title: 'Cancel Slack: nobody uses it',
    tools: ['Slack'],
    expectedMonthlySavings: '350.00',
    currency: 'USD',
    acceptedBy: admin.id,
    acceptedAt: new Date('2025-05-15T12:00:00Z'),
  });
  const renewals = new RenewalRepository(db);
  await renewals.claimReminder(organization.id, 'slack', '2025-06-01', 30, [30, 90]);
  await renewals.replaceFeed(organization.id, 'f'.repeat(64), admin.id);
  await new AppUsageRepository(db).replace(
    organization.id,
    'okta',
    [
      {
        appName: 'Slack',
        toolName: 'Slack',
        purchased: null,
        assigned: 12,
        active30: 9,
        active90: 11,
        users: 12,
        evidence: 'sign_in',
      },
    ],
    new Date('2025-05-20T08:00:00Z'),
  );
}

/** Every row of every table, ordered, as plain JSON: what "identical content" means. */
async function contents(database: Database): Promise<Record<string, unknown[]>> {
  return database.snapshot(async (query) => {
    const out: Record<string, unknown[]> = {};
    for (const table of TABLE_ORDER) {
      const rows = await query(`SELECT * FROM "${table}" ORDER BY 1, 2`);
      out[table] = JSON.parse(JSON.stringify(rows)) as unknown[];
    }
    return out;
  });
}

const tempFile = (name: string) => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stackaudit-backup-')), name);

describe.skipIf(!postgresAvailable())('backup and restore across databases', () => {
  it('embedded → PostgreSQL → embedded: every table populated, identical content, journal included', async () => {
    const source = await createTestDatabase('pglite');
    const middle = await createTestDatabase('postgres', { migrated: false });
    const target = await createTestDatabase('pglite', { migrated: false });
    try {
      await populate(source.database);
      const original = await contents(source.database);
      for (const table of TABLE_ORDER) expect(original[table]?.length, table).toBeGreaterThan(0);

      const first = tempFile('one.jsonl');
      const header = await writeBackup(source.database, first);
      expect(header.migrations).toEqual(migrationNames());
      await restoreBackup(middle.database, first);
      expect((await migrationStatus(middle.database)).every((m) => m.applied)).toBe(true);
      expect(await contents(middle.database)).toEqual(original);

      const second = tempFile('two.jsonl');
      await writeBackup(middle.database, second);
      await restoreBackup(target.database, second);
      expect(await contents(target.database)).toEqual(original);
    } finally {
      await Promise.all([source.destroy(), middle.destroy(), target.destroy()]);
    }
  }, 120_000);
});

describe('backup files', () => {
  it('are readable by their owner only, whether the file (or a partial one) was there before or not', async () => {
    const source = await createTestDatabase('pglite');
    try {
      // Created with that mode, not made so afterwards (no moment when others could open it).
      const chmod = vi.spyOn(fs, 'chmodSync').mockImplementation(() => {});
      const fresh = tempFile('fresh.jsonl');
      try {
        await writeBackup(source.database, fresh);
      } finally {
        chmod.mockRestore();
      }
      expect(fs.statSync(fresh).mode & 0o777).toBe(0o600);

      // Left behind world-readable: an earlier backup, and the partial file of one that crashed.
      const again = tempFile('again.jsonl');
      fs.writeFileSync(again, 'old backup', { mode: 0o644 });
      fs.writeFileSync(`${again}.partial`, 'interrupted', { mode: 0o666 });
      fs.chmodSync(`${again}.partial`, 0o666);
      await writeBackup(source.database, again);
      expect(fs.statSync(again).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(again, 'utf8')).toContain(BACKUP_FORMAT);
    } finally {
      await source.destroy();
    }
  }, 60_000);
});

describe('restore refusals', () => {
  it('refuses a database holding data, replaces it with --force, and every table is in the backup order', async () => {
    const source = await createTestDatabase('pglite');
    const target = await createTestDatabase('pglite');
    try {
      await populate(source.database);
      await populate(target.database);
      const file = tempFile('b.jsonl');
      await writeBackup(source.database, file);
      await expect(restoreBackup(target.database, file)).rejects.toThrow(RestoreError);
      await expect(restoreBackup(target.database, file)).rejects.toThrow(/holds data .*--force/);
      await restoreBackup(target.database, file, { force: true });
      expect(await contents(target.database)).toEqual(await contents(source.database));

      const live = await target.database.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
      );
      expect(live.map((t) => t.name).sort()).toEqual([...TABLE_ORDER].sort());

      const broken = tempFile('bad.jsonl');
      fs.writeFileSync(broken, 'not json\n');
      await expect(restoreBackup(target.database, broken)).rejects.toThrow('is not a StackAudit backup');
    } finally {
      await Promise.all([source.destroy(), target.destroy()]);
    }
  }, 120_000);
});
