import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';

import type { App } from '../../src/http/app.js';
import { AuditShareRepository } from '../../src/repositories/audit-share.repository.js';
import { AuditUserShareRepository } from '../../src/repositories/audit-user-share.repository.js';
import { AuditRepository } from '../../src/repositories/audit.repository.js';
import { EmailOutboxRepository } from '../../src/repositories/email-outbox.repository.js';
import { OrganizationRepository } from '../../src/repositories/organization.repository.js';
import { UserRepository } from '../../src/repositories/user.repository.js';
import { CommentService } from '../../src/services/comment.service.js';
import { Notifier } from '../../src/services/notifier.js';
import { buildTestApp, fanOutComments, testConfig } from '../harness/app.js';
import { call, signup, team, type Account } from '../harness/client.js';
import type { ActivityJson, CommentJson, ErrorBody, NotificationPageJson, ThreadJson } from '../harness/contract.js';
import { describeEachDatabase } from '../harness/databases.js';

type Level = 'none' | 'view' | 'comment' | 'edit' | 'manage';
const LEVELS: Level[] = ['none', 'view', 'comment', 'edit', 'manage'];

/** The contract's rule, written out again independently of src/policies. */
function expectedLevel(role: string, owner: boolean, visibility: string, share: string | null): Level {
  if (role === 'admin') return 'manage';
  const levels: Level[] = ['none'];
  if (owner) levels.push('manage');
  if (share) levels.push(share as Level);
  if (visibility !== 'private') levels.push('comment');
  let best = levels.sort((a, b) => LEVELS.indexOf(b) - LEVELS.indexOf(a))[0]!;
  if (role === 'viewer' && LEVELS.indexOf(best) > LEVELS.indexOf('comment')) best = 'comment';
  return best;
}
const statusFor = (level: Level, needed: Level, ok: number) =>
  level === 'none' ? 404 : LEVELS.indexOf(level) < LEVELS.indexOf(needed) ? 403 : ok;

describeEachDatabase('collaboration', (get) => {
  let app: App;
  let t: Awaited<ReturnType<typeof team>>;
  let outsider: Account;

  beforeAll(async () => {
    app = await buildTestApp(get().database);
    await app.ready();
    const admin = await signup(app);
    await new OrganizationRepository(get().database.db).setPlan(admin.organization.id, 'business');
    t = await team(app, admin);
    outsider = await signup(app);
  });
  afterAll(() => app.close());

  const as = (who: Account | null) => (who ? { token: who.token } : {});
  const newAudit = async (owner: Account, name = 'Shared stack') =>
    new AuditRepository(get().database.db).create({
      organizationId: owner.organization.id,
      userId: owner.user.id,
      name,
      stackData: { tools: [{ name: 'Slack', monthlyCost: 100, owner: 'secret-owner@example.org' }] },
      status: 'completed',
    });

  it('the permission matrix: role × owner × visibility × share, another organization and anonymous', async () => {
    const db = get().database.db;
    const callers: Record<string, Account> = { admin: t.admin, member: t.member, viewer: t.viewer };
    const other = await t.join('member', 'Audit Owner');
    const seen: string[] = [];
    const wanted: string[] = [];
    for (const role of ['admin', 'member', 'viewer']) {
      for (const owner of [true, false]) {
        for (const visibility of ['private', 'organization', 'public'] as const) {
          for (const share of [null, 'view', 'comment', 'edit'] as const) {
            const caller = callers[role]!;
            const audit = await newAudit(owner ? caller : other);
            if (visibility !== 'organization') {
              await new AuditShareRepository(db).setVisibility(
                caller.organization.id,
                audit.id,
                visibility,
                visibility === 'public' ? `tok${audit.id}`.padEnd(43, 'x') : null,
              );
            }
            if (share)
              await new AuditUserShareRepository(db).upsert(caller.organization.id, {
                auditId: audit.id,
                userId: caller.user.id,
                permission: share,
              });
            const level = expectedLevel(role, owner, visibility, share);
            const label = `${role} ${owner ? 'owner' : 'other'} ${visibility} share=${share ?? 'none'}`;
            const checks: [string, () => Promise<number>, number][] = [
              [
                'GET audit',
                async () => (await call(app, 'GET', `/api/audits/${audit.id}`, undefined, as(caller))).status,
                statusFor(level, 'view', 200),
              ],
              [
                'GET comments',
                async () => (await call(app, 'GET', `/api/audits/${audit.id}/comments`, undefined, as(caller))).status,
                statusFor(level, 'view', 200),
              ],
              [
                'GET share',
                async () => (await call(app, 'GET', `/api/audits/${audit.id}/share`, undefined, as(caller))).status,
                statusFor(level, 'view', 200),
              ],
              [
                'POST comment',
                async () =>
                  (await call(app, 'POST', `/api/audits/${audit.id}/comments`, { content: 'hi' }, as(caller))).status,
                statusFor(level, 'comment', 201),
              ],
              [
                'GET mentionable',
                async () =>
                  (await call(app, 'GET', `/api/audits/${audit.id}/mentionable`, undefined, as(caller))).status,
                statusFor(level, 'comment', 200),
              ],
              [
                'PATCH audit',
                async () =>
                  (await call(app, 'PATCH', `/api/audits/${audit.id}`, { name: 'Renamed' }, as(caller))).status,
                statusFor(level, 'edit', 200),
              ],
              [
                'POST analyze',
                async () => (await call(app, 'POST', `/api/audits/${audit.id}/analyze`, undefined, as(caller))).status,
                statusFor(level, 'edit', 202),
              ],
              [
                'GET user-shares',
                async () =>
                  (await call(app, 'GET', `/api/audits/${audit.id}/user-shares`, undefined, as(caller))).status,
                statusFor(level, 'manage', 200),
              ],
              [
                'PUT share',
                async () =>
                  (await call(app, 'PUT', `/api/audits/${audit.id}/share`, { visibility }, as(caller))).status,
                statusFor(level, 'manage', 200),
              ],
              [
                'listed',
                async () => {
                  const list = await call<{ items: { id: string }[] }>(
                    app,
                    'GET',
                    '/api/audits?limit=100',
                    undefined,
                    as(caller),
                  );
                  return list.body.items.some((a) => a.id === audit.id) ? 1 : 0;
                },
                level === 'none' ? 0 : 1,
              ],
              [
                'DELETE audit',
                async () => (await call(app, 'DELETE', `/api/audits/${audit.id}`, undefined, as(caller))).status,
                statusFor(level, 'manage', 204),
              ],
            ];
            for (const [what, run, expected] of checks) {
              seen.push(`${label}: ${what} ${await run()}`);
              wanted.push(`${label}: ${what} ${expected}`);
            }
            // Whatever happened above, another organization and anonymous callers never see it.
            const stray = await newAudit(other);
            seen.push(
              `${label}: outsider ${(await call(app, 'GET', `/api/audits/${stray.id}`, undefined, as(outsider))).status}`,
            );
            wanted.push(`${label}: outsider 404`);
            seen.push(`${label}: anonymous ${(await call(app, 'GET', `/api/audits/${stray.id}/comments`)).status}`);
            wanted.push(`${label}: anonymous 401`);
          }
        }
      }
    }
    expect(seen).toEqual(wanted);
  }, 300_000);

  it('threads are one level deep; replies go with their thread; only authors edit; managers delete', async () => {
    const audit = await newAudit(t.member);
    const post = (who: Account, body: unknown) =>
      call<{ comment: { id: string; parentId: string | null; edited: boolean } }>(
        app,
        'POST',
        `/api/audits/${audit.id}/comments`,
        body,
        as(who),
      );
    const top = (await post(t.member, { content: 'Top' })).body.comment;
    const reply = (await post(t.viewer, { content: 'Reply', parentId: top.id })).body.comment;
    const nested = (await post(t.admin, { content: 'Reply to reply', parentId: reply.id })).body.comment;
    expect(reply.parentId).toBe(top.id);
    expect(nested.parentId).toBe(top.id);
    const elsewhere = await newAudit(t.member, 'Other audit');
    const foreign = await call<ErrorBody>(
      app,
      'POST',
      `/api/audits/${elsewhere.id}/comments`,
      { content: 'x', parentId: top.id },
      as(t.member),
    );
    expect(foreign.status).toBe(400);
    for (const content of ['', '   ', 'x'.repeat(10_001)]) expect((await post(t.member, { content })).status).toBe(400);
    expect((await post(t.member, { content: 'x', extra: 1 })).status).toBe(400);

    expect((await call(app, 'PATCH', `/api/comments/${reply.id}`, { content: 'Not mine' }, as(t.member))).status).toBe(
      403,
    );
    const edited = await call<{ comment: { content: string; edited: boolean } }>(
      app,
      'PATCH',
      `/api/comments/${reply.id}`,
      { content: 'Fixed' },
      as(t.viewer),
    );
    expect(edited.body.comment).toMatchObject({ content: 'Fixed', edited: true });
    expect((await call(app, 'DELETE', `/api/comments/${reply.id}`, undefined, as(outsider))).status).toBe(404);
    expect((await call(app, 'DELETE', `/api/comments/${top.id}`, undefined, as(t.viewer))).status).toBe(403);

    const threads = await call<{ items: ThreadJson[] }>(
      app,
      'GET',
      `/api/audits/${audit.id}/comments`,
      undefined,
      as(t.viewer),
    );
    expect(threads.body.items).toHaveLength(1);
    expect(threads.body.items[0]).toMatchObject({
      content: 'Top',
      edited: false,
      author: { id: t.member.user.id, name: 'Mel Member' },
    });
    expect(threads.body.items[0]?.replies.map((r) => r.id)).toEqual([reply.id, nested.id]);

    // The audit's owner (manage) deletes the thread: its replies go with it.
    expect((await call(app, 'DELETE', `/api/comments/${top.id}`, undefined, as(t.member))).status).toBe(204);
    expect(
      (await call<{ items: ThreadJson[] }>(app, 'GET', `/api/audits/${audit.id}/comments`, undefined, as(t.viewer)))
        .body.items,
    ).toEqual([]);
    expect((await call(app, 'PATCH', `/api/comments/${nested.id}`, { content: 'gone' }, as(t.admin))).status).toBe(404);
  });

  it('reactions: 201 then 200 with no change; summary per comment; removable by their author', async () => {
    const audit = await newAudit(t.member);
    const comment = (
      await call<{ comment: { id: string } }>(
        app,
        'POST',
        `/api/audits/${audit.id}/comments`,
        { content: 'React!' },
        as(t.member),
      )
    ).body.comment;
    const react = (who: Account, reaction: string) =>
      call<{ reactions: { reaction: string; count: number; reactedByMe: boolean }[] }>(
        app,
        'POST',
        `/api/comments/${comment.id}/reactions`,
        { reaction },
        as(who),
      );
    expect((await react(t.member, '👍')).status).toBe(201);
    const again = await react(t.member, '👍');
    expect(again.status).toBe(200);
    expect(again.body.reactions).toEqual([{ reaction: '👍', count: 1, reactedByMe: true }]);
    const viewer = await react(t.viewer, '👍');
    expect(viewer.body.reactions).toEqual([{ reaction: '👍', count: 2, reactedByMe: true }]);
    expect((await react(t.viewer, 'not-a-reaction')).status).toBe(400);
    expect((await react(outsider, '👍')).status).toBe(404);
    expect(
      (
        await call(
          app,
          'DELETE',
          `/api/comments/${comment.id}/reactions/${encodeURIComponent('👍')}`,
          undefined,
          as(t.viewer),
        )
      ).status,
    ).toBe(204);
    const list = await call<{ items: { reactions: unknown[] }[] }>(
      app,
      'GET',
      `/api/audits/${audit.id}/comments`,
      undefined,
      as(t.admin),
    );
    expect(list.body.items[0]?.reactions).toEqual([{ reaction: '👍', count: 1, reactedByMe: false }]);
  });

  it('HTML in a comment comes back byte for byte, never rendered', async () => {
    const audit = await newAudit(t.member);
    const content = '<script>alert("x")</script> <img src=x onerror=alert(1)> **bold** &amp; \u00e9\u{1F600}';
    const created = await call<{ comment: { id: string; content: string } }>(
      app,
      'POST',
      `/api/audits/${audit.id}/comments`,
      { content },
      as(t.member),
    );
    expect(created.body.comment.content).toBe(content);
    const list = await call<{ items: { content: string }[] }>(
      app,
      'GET',
      `/api/audits/${audit.id}/comments`,
      undefined,
      as(t.member),
    );
    expect(list.body.items[0]?.content).toBe(content);
    expect(list.headers['content-type']).toContain('application/json');
  });

  it('public links: work logged out without member data, die when made private; guessed or old tokens are 404', async () => {
    const audit = await newAudit(t.member);
    const made = await call<{ visibility: string; shareToken: string; shareUrl: string }>(
      app,
      'PUT',
      `/api/audits/${audit.id}/share`,
      { visibility: 'public' },
      as(t.member),
    );
    expect(made.body.visibility).toBe('public');
    expect(made.body.shareToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(made.body.shareUrl).toBe(`http://localhost:80/shared/${made.body.shareToken}`);
    // Only a manager sees the token.
    expect(
      (await call<{ shareToken: string | null }>(app, 'GET', `/api/audits/${audit.id}/share`, undefined, as(t.viewer)))
        .body.shareToken,
    ).toBeNull();

    const dayBefore = new Date().toISOString().slice(0, 10);
    const open = await call<{ audit: Record<string, unknown>; analysis: unknown; today: string }>(
      app,
      'GET',
      `/api/shared/${made.body.shareToken}`,
    );
    expect(open.status).toBe(200);
    expect(open.body.audit).toMatchObject({ id: audit.id, name: 'Shared stack' });
    // Today as the organization counts it (UTC unless it says otherwise): renewals count from it.
    expect([dayBefore, new Date().toISOString().slice(0, 10)]).toContain(open.body.today);
    expect(open.body.audit).not.toHaveProperty('userId');
    expect(open.raw).not.toContain('secret-owner@example.org');
    expect(open.raw).not.toContain('comments');

    const remade = await call<{ shareToken: string }>(
      app,
      'PUT',
      `/api/audits/${audit.id}/share`,
      { visibility: 'public' },
      as(t.member),
    );
    expect(remade.body.shareToken).not.toBe(made.body.shareToken);
    expect((await call(app, 'GET', `/api/shared/${made.body.shareToken}`)).status).toBe(404);
    await call(app, 'PUT', `/api/audits/${audit.id}/share`, { visibility: 'private' }, as(t.member));
    expect((await call(app, 'GET', `/api/shared/${remade.body.shareToken}`)).status).toBe(404);
    expect((await call(app, 'GET', `/api/shared/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await call(app, 'GET', '/api/shared/short')).status).toBe(404);
    expect(
      (await call(app, 'PUT', `/api/audits/${audit.id}/share`, { visibility: 'secret' }, as(t.member))).status,
    ).toBe(400);
  });

  it('per-user shares: same organization only, repeat changes the permission, the person is notified', async () => {
    const audit = await newAudit(t.member);
    await call(app, 'PUT', `/api/audits/${audit.id}/share`, { visibility: 'private' }, as(t.member));
    const first = await call<{ share: { permission: string; user: { id: string } } }>(
      app,
      'POST',
      `/api/audits/${audit.id}/user-shares`,
      { email: t.viewer.user.email, permission: 'view' },
      as(t.member),
    );
    expect(first.status).toBe(201);
    const second = await call<{ share: { permission: string } }>(
      app,
      'POST',
      `/api/audits/${audit.id}/user-shares`,
      { userId: t.viewer.user.id, permission: 'comment' },
      as(t.member),
    );
    expect(second.status).toBe(200);
    expect(second.body.share.permission).toBe('comment');
    expect(
      (
        await call(
          app,
          'POST',
          `/api/audits/${audit.id}/user-shares`,
          { userId: outsider.user.id, permission: 'view' },
          as(t.member),
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await call(
          app,
          'POST',
          `/api/audits/${audit.id}/user-shares`,
          { email: outsider.user.email, permission: 'view' },
          as(t.member),
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await call(
          app,
          'POST',
          `/api/audits/${audit.id}/user-shares`,
          { userId: t.viewer.user.id, permission: 'own' },
          as(t.member),
        )
      ).status,
    ).toBe(400);

    const listed = await call<{ items: { user: { id: string }; permission: string }[] }>(
      app,
      'GET',
      `/api/audits/${audit.id}/user-shares`,
      undefined,
      as(t.member),
    );
    expect(listed.body.items.map((s) => [s.user.id, s.permission])).toEqual([[t.viewer.user.id, 'comment']]);
    const notes = await call<{ items: { type: string; auditId: string }[] }>(
      app,
      'GET',
      '/api/me/notifications',
      undefined,
      as(t.viewer),
    );
    expect(notes.body.items.filter((n) => n.type === 'share' && n.auditId === audit.id)).toHaveLength(2);
    expect(
      (await new EmailOutboxRepository(get().database.db).listTo(t.admin.organization.id, t.viewer.user.email)).some(
        (m) => m.template === 'share',
      ),
    ).toBe(true);

    expect((await call(app, 'GET', `/api/audits/${audit.id}`, undefined, as(t.viewer))).status).toBe(200);
    expect(
      (await call(app, 'DELETE', `/api/audits/${audit.id}/user-shares/${t.viewer.user.id}`, undefined, as(t.member)))
        .status,
    ).toBe(204);
    expect((await call(app, 'GET', `/api/audits/${audit.id}`, undefined, as(t.viewer))).status).toBe(404);
    expect(
      (await call(app, 'DELETE', `/api/audits/${audit.id}/user-shares/${t.viewer.user.id}`, undefined, as(t.member)))
        .status,
    ).toBe(404);
  });

  it('mentions and comments notify per preferences; mentionable lists who can see the audit', async () => {
    const audit = await newAudit(t.member, 'Mentions');
    const quiet = await t.join('member', 'Quiet Person');
    await fanOutComments(app); // what earlier tests left queued
    await call(
      app,
      'PUT',
      '/api/me/notification-preferences',
      { inAppMentions: false, emailMentions: false },
      as(quiet),
    );
    const mentionable = await call<{ items: { id: string }[] }>(
      app,
      'GET',
      `/api/audits/${audit.id}/mentionable?q=quiet`,
      undefined,
      as(t.viewer),
    );
    expect(mentionable.body.items.map((u) => u.id)).toEqual([quiet.user.id]);

    const before = await new EmailOutboxRepository(get().database.db).listTo(
      t.admin.organization.id,
      t.viewer.user.email,
    );
    const content = `Please check @${t.viewer.user.email} and @"Quiet Person" and @"Nobody Here"`;
    expect((await call(app, 'POST', `/api/audits/${audit.id}/comments`, { content }, as(t.admin))).status).toBe(201);
    // Nobody is told by the request itself: the fan-out worker tells them, once.
    expect(
      (
        await call<NotificationPageJson>(app, 'GET', '/api/me/notifications', undefined, as(t.viewer))
      ).body.items.filter((n) => n.auditId === audit.id),
    ).toEqual([]);
    expect(await fanOutComments(app)).toBe(1);
    expect(await fanOutComments(app)).toBe(0);

    const viewerNotes = (
      await call<NotificationPageJson>(app, 'GET', '/api/me/notifications', undefined, as(t.viewer))
    ).body.items.filter((n) => n.auditId === audit.id);
    expect(viewerNotes.map((n) => n.type)).toEqual(['mention']);
    expect(viewerNotes[0]?.actor?.id).toBe(t.admin.user.id);
    const quietNotes = (
      await call<NotificationPageJson>(app, 'GET', '/api/me/notifications', undefined, as(quiet))
    ).body.items.filter((n) => n.auditId === audit.id);
    expect(quietNotes).toEqual([]);
    // The owner hears about a comment on their audit.
    const ownerNotes = (
      await call<NotificationPageJson>(app, 'GET', '/api/me/notifications', undefined, as(t.member))
    ).body.items.filter((n) => n.auditId === audit.id);
    expect(ownerNotes.map((n) => n.type)).toEqual(['comment']);
    const after = await new EmailOutboxRepository(get().database.db).listTo(
      t.admin.organization.id,
      t.viewer.user.email,
    );
    expect(after.length - before.length).toBe(1);
    expect(after[after.length - 1]?.template).toBe('mention');
    const quietMail = await new EmailOutboxRepository(get().database.db).listTo(
      t.admin.organization.id,
      quiet.user.email,
    );
    expect(quietMail.map((m) => m.template)).toEqual(['invite']);

    // An earlier commenter hears about the next comment; someone only mentioned before does not.
    expect(
      (await call(app, 'POST', `/api/audits/${audit.id}/comments`, { content: 'Done, thanks' }, as(t.member))).status,
    ).toBe(201);
    await fanOutComments(app);
    const adminNotes = (
      await call<NotificationPageJson>(app, 'GET', '/api/me/notifications', undefined, as(t.admin))
    ).body.items.filter((n) => n.auditId === audit.id);
    expect(adminNotes.map((n) => [n.type, n.actor?.id])).toEqual([['comment', t.member.user.id]]);
    expect(
      (
        await call<NotificationPageJson>(app, 'GET', '/api/me/notifications', undefined, as(t.viewer))
      ).body.items.filter((n) => n.auditId === audit.id),
    ).toHaveLength(1);

    // Someone who cannot see a private audit is not notified, even when mentioned.
    await call(app, 'PUT', `/api/audits/${audit.id}/share`, { visibility: 'private' }, as(t.member));
    await call(
      app,
      'POST',
      `/api/audits/${audit.id}/comments`,
      { content: `@${t.viewer.user.email} secret` },
      as(t.admin),
    );
    expect(await fanOutComments(app)).toBe(1);
    const stillOne = (
      await call<NotificationPageJson>(app, 'GET', '/api/me/notifications', undefined, as(t.viewer))
    ).body.items.filter((n) => n.auditId === audit.id);
    expect(stillOne).toHaveLength(1);
  });

  it('names and audit names of any allowed length never stop the fan-out: the email subject is cut to a line', async () => {
    await fanOutComments(app);
    const longName = 'N'.repeat(255);
    const author = await t.join('member', longName);
    const audit = await newAudit(t.member, 'A'.repeat(255));
    const posted = await call(
      app,
      'POST',
      `/api/audits/${audit.id}/comments`,
      { content: `@${t.viewer.user.email} hi` },
      as(author),
    );
    expect(posted.status).toBe(201);
    expect(await fanOutComments(app)).toBe(1);
    const mail = await new EmailOutboxRepository(get().database.db).listTo(
      t.admin.organization.id,
      t.viewer.user.email,
    );
    const last = mail[mail.length - 1]!;
    expect(last.template).toBe('mention');
    // 255 + 255 characters of names: over the column's 500 before; one line of 200 now.
    expect(last.subject).toBe(`${'N'.repeat(199)}…`);
  });

  it('the fan-out tells a batch of comments of two organizations with a fixed number of statements, each once even with two workers', async () => {
    await fanOutComments(app); // what earlier tests left queued
    const mine = await newAudit(t.member, 'Busy thread');
    const theirs = await newAudit(outsider, 'Elsewhere');
    const otherTeam = await t.join('member', 'Second Commenter');
    const post = (audit: { id: string }, who: Account, content: string) =>
      call(app, 'POST', `/api/audits/${audit.id}/comments`, { content }, as(who));
    // 30 comments: each mentions the viewer; the owner (member) hears of each as the audit's owner.
    for (let i = 0; i < 30; i++) {
      expect((await post(mine, i % 2 ? t.admin : otherTeam, `Look @${t.viewer.user.email} (${i})`)).status).toBe(201);
    }
    expect((await post(theirs, outsider, 'Only mine')).status).toBe(201);
    const services = new CommentService(get().database, new Notifier(testConfig()));
    const before = get().database.statementsRun();
    // Two workers at once share the queue (SKIP LOCKED): together they tell 31 comments, none twice.
    const told = await Promise.all([services.fanOut(20), services.fanOut(20)]);
    const rest = await services.fanOut(20);
    expect(told[0] + told[1] + rest).toBe(31);
    expect(await services.fanOut(20)).toBe(0);
    // Per batch, whether it holds 1 comment or 20: BEGIN, the claim, the audience (one query),
    // the notifications, the emails, COMMIT; an empty queue: BEGIN, the claim, COMMIT.
    expect(get().database.statementsRun() - before).toBeLessThanOrEqual(2 * 6 + 2 * 3);
    const notes = async (who: Account) =>
      (
        await call<NotificationPageJson>(app, 'GET', '/api/me/notifications?limit=100', undefined, as(who))
      ).body.items.filter((n) => n.auditId === mine.id);
    expect((await notes(t.viewer)).map((n) => n.type)).toEqual(Array(30).fill('mention'));
    expect((await notes(t.member)).map((n) => n.type)).toEqual(Array(30).fill('comment'));
    // The two authors follow the thread once they have commented on it: each hears of the
    // other's comments posted after their own first one (never of their own).
    const adminHeard = await notes(t.admin);
    const otherHeard = await notes(otherTeam);
    expect(adminHeard.map((n) => n.actor?.id)).toEqual(Array(14).fill(otherTeam.user.id)); // 2, 4 … 28
    expect(otherHeard.map((n) => n.actor?.id)).toEqual(Array(15).fill(t.admin.user.id)); // 1, 3 … 29
    // The outsider's organization: nobody else, so nobody told; nothing crossed over.
    expect(
      (
        await call<NotificationPageJson>(app, 'GET', '/api/me/notifications', undefined, as(outsider))
      ).body.items.filter((n) => n.auditId === theirs.id),
    ).toEqual([]);
  });

  it('the fan-out passes over a comment being deleted and leaves its job to the deletion; a deleted comment tells nobody', async () => {
    await fanOutComments(app); // what earlier tests left queued
    const audit = await newAudit(t.member, 'Deleted mid-way');
    const post = async (content: string) =>
      (await call<{ comment: CommentJson }>(app, 'POST', `/api/audits/${audit.id}/comments`, { content }, as(t.admin)))
        .body.comment;
    const services = new CommentService(get().database, new Notifier(testConfig()));
    const viewerNotes = async () =>
      (
        await call<NotificationPageJson>(app, 'GET', '/api/me/notifications?limit=100', undefined, as(t.viewer))
      ).body.items.filter((n) => n.auditId === audit.id);

    // Deleted before its people were told: its job went with it, nobody hears of it.
    const gone = await post(`@${t.viewer.user.email} gone`);
    expect((await call(app, 'DELETE', `/api/comments/${gone.id}`, undefined, as(t.admin))).status).toBe(204);
    expect(await services.fanOut(20)).toBe(0);
    expect(await viewerNotes()).toEqual([]);

    // A deletion still running (its transaction holds the comment): the fan-out does not wait
    // for it and tells the others; the deletion undone, the comment is told next time. One
    // connection serialises the embedded database's transactions, so only a server shows it.
    if (get().driver !== 'postgres') return;
    const held = await post(`@${t.viewer.user.email} held`);
    const other = await post(`@${t.viewer.user.email} other`);
    const deleting = new pg.Client({ connectionString: get().location });
    await deleting.connect();
    try {
      await deleting.query('BEGIN');
      await deleting.query('SELECT id FROM audit_comments WHERE id = $1 FOR UPDATE', [held.id]);
      expect(await services.fanOut(20)).toBe(1);
      expect((await viewerNotes()).map((n) => n.commentId)).toEqual([other.id]);
      await deleting.query('ROLLBACK');
    } finally {
      await deleting.end();
    }
    expect(await services.fanOut(20)).toBe(1);
    expect((await viewerNotes()).map((n) => n.commentId).sort()).toEqual([held.id, other.id].sort());
  });

  it('a comment racing the deletion of its audit, or of the comment it replies to, answers 404 or 400, not 500', async () => {
    // The statement read the audit (or the parent) before the deletion committed; its foreign
    // key check then finds the row gone. One connection serialises the embedded database's
    // transactions, so only a server shows the race.
    if (get().driver !== 'postgres') return;
    const race = async (table: 'audits' | 'audit_comments', id: string, post: () => Promise<{ status: number }>) => {
      const deleting = new pg.Client({ connectionString: get().location });
      await deleting.connect();
      try {
        await deleting.query('BEGIN');
        await deleting.query(`DELETE FROM ${table} WHERE id = $1`, [id]);
        const answer = post();
        // The comment's statement has read the row and now waits on the deletion's lock (its
        // foreign key check): only then does the deletion commit, so the race always happens.
        for (let waited = 0; ; waited += 20) {
          const { rows } = await deleting.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))',
          );
          if (rows[0]!.n > 0) break;
          if (waited > 10_000) throw new Error('the comment never waited on the deletion');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await deleting.query('COMMIT');
        return (await answer).status;
      } finally {
        await deleting.end();
      }
    };
    const audit = await newAudit(t.member, 'Deleted while commenting');
    const top = (
      await call<{ comment: CommentJson }>(
        app,
        'POST',
        `/api/audits/${audit.id}/comments`,
        { content: 'Top' },
        as(t.member),
      )
    ).body.comment;
    expect(
      await race('audit_comments', top.id, () =>
        call(app, 'POST', `/api/audits/${audit.id}/comments`, { content: 'Reply', parentId: top.id }, as(t.admin)),
      ),
    ).toBe(400);
    expect(
      await race('audits', audit.id, () =>
        call(app, 'POST', `/api/audits/${audit.id}/comments`, { content: 'Too late' }, as(t.admin)),
      ),
    ).toBe(404);
  });

  it('a diff never compares against a private audit the caller cannot see', async () => {
    const secret = await newAudit(t.admin, 'Admin only');
    await call(app, 'PUT', `/api/audits/${secret.id}/share`, { visibility: 'private' }, as(t.admin));
    const mine = await new AuditRepository(get().database.db).create({
      organizationId: t.member.organization.id,
      userId: t.member.user.id,
      name: 'Newer',
      stackData: { tools: [] },
    });
    const diff = await call<{ from: { id: string } }>(
      app,
      'GET',
      `/api/audits/${mine.id}/diff`,
      undefined,
      as(t.member),
    );
    if (diff.status === 200) expect(diff.body.from.id).not.toBe(secret.id);
    else expect(diff.status).toBe(404);
    const adminDiff = await call<{ from: { id: string } }>(
      app,
      'GET',
      `/api/audits/${mine.id}/diff`,
      undefined,
      as(t.admin),
    );
    expect(adminDiff.body.from.id).toBe(secret.id);
  });

  it('the feed names the audit and the member an event concerns; a deleted audit keeps its name in the event', async () => {
    const named = await newAudit(t.member, 'Named in the feed');
    const shared = await call(
      app,
      'POST',
      `/api/audits/${named.id}/user-shares`,
      { userId: t.viewer.user.id, permission: 'comment' },
      as(t.member),
    );
    expect(shared.status).toBe(201);
    const feed = await call<{ items: ActivityJson[] }>(
      app,
      'GET',
      `/api/activity?auditId=${named.id}`,
      undefined,
      as(t.member),
    );
    expect(feed.body.items.find((a) => a.action === 'audit_shared')).toMatchObject({
      auditName: 'Named in the feed',
      user: { id: t.member.user.id, name: 'Mel Member' },
      subjectName: 'Vic Viewer',
      metadata: { withUserId: t.viewer.user.id, permission: 'comment' },
    });
    expect((await call(app, 'DELETE', `/api/audits/${named.id}`, undefined, as(t.member))).status).toBe(204);
    const admin = await call<{ items: ActivityJson[] }>(app, 'GET', '/api/activity?limit=5', undefined, as(t.admin));
    expect(admin.body.items[0]).toMatchObject({
      action: 'audit_deleted',
      auditId: null,
      auditName: null,
      subjectName: null,
      metadata: { auditId: named.id, name: 'Named in the feed' },
    });
    // Another organization's feed names nothing of this one.
    const theirs = await call<{ items: ActivityJson[] }>(
      app,
      'GET',
      '/api/activity?limit=100',
      undefined,
      as(outsider),
    );
    expect(
      theirs.body.items.filter((a) => a.auditName === 'Named in the feed' || a.subjectName === 'Vic Viewer'),
    ).toEqual([]);
  });

  it('the activity feed follows the access policy; organization events only for admins', async () => {
    const secret = await newAudit(t.member, 'Secret');
    await call(app, 'PUT', `/api/audits/${secret.id}/share`, { visibility: 'private' }, as(t.member));
    await call(app, 'POST', `/api/audits/${secret.id}/comments`, { content: 'private talk' }, as(t.member));
    const viewerFeed = await call<{ items: ActivityJson[]; nextCursor: string | null }>(
      app,
      'GET',
      '/api/activity?limit=100',
      undefined,
      as(t.viewer),
    );
    expect(viewerFeed.body.items.some((a) => a.auditId === secret.id)).toBe(false);
    expect(viewerFeed.body.items.some((a) => a.auditId === null)).toBe(false);
    const adminFeed = await call<{ items: ActivityJson[]; nextCursor: string | null }>(
      app,
      'GET',
      '/api/activity?limit=100',
      undefined,
      as(t.admin),
    );
    expect(adminFeed.body.items.some((a) => a.auditId === secret.id && a.action === 'comment_added')).toBe(true);
    expect(adminFeed.body.items.some((a) => a.action === 'member_joined')).toBe(true);
    expect((await call(app, 'GET', `/api/activity?auditId=${secret.id}`, undefined, as(t.viewer))).status).toBe(404);
    const ownFeed = await call<{ items: ActivityJson[]; nextCursor: string | null }>(
      app,
      'GET',
      `/api/activity?auditId=${secret.id}`,
      undefined,
      as(t.member),
    );
    expect(ownFeed.body.items.map((a) => a.action)).toEqual(['comment_added', 'visibility_changed']);
    const page = await call<{ items: ActivityJson[]; nextCursor: string | null }>(
      app,
      'GET',
      '/api/activity?limit=2',
      undefined,
      as(t.admin),
    );
    const next = await call<{ items: ActivityJson[]; nextCursor: string | null }>(
      app,
      'GET',
      `/api/activity?limit=2&cursor=${page.body.nextCursor}`,
      undefined,
      as(t.admin),
    );
    expect(next.body.items).toHaveLength(2);
    expect(next.body.items[0]).not.toEqual(page.body.items[0]);
    expect((await call(app, 'GET', '/api/activity', undefined, as(outsider))).status).toBe(200);
  });

  it('listing 100 comments with replies and reactions takes a fixed number of queries (no N+1)', async () => {
    const audit = await newAudit(t.member, 'Busy');
    const service = new CommentService(get().database, new Notifier(testConfig()));
    const actor = {
      user: (await new UserRepository(get().database.db).findByIdAcrossOrganizations(t.member.user.id))!,
      organization: (await new OrganizationRepository(get().database.db).findById(t.member.organization.id))!,
      sessionId: 's',
    };
    const measure = async () => {
      const before = get().database.statementsRun();
      const page = await service.list(actor, audit.id, { limit: 100 });
      return { queries: get().database.statementsRun() - before, page };
    };
    const empty = await measure();
    for (let i = 0; i < 100; i++) {
      const top = await service.add(actor, audit.id, { content: `Comment ${i}` });
      if (i % 10 === 0) {
        await service.add(actor, audit.id, { content: `Reply ${i}`, parentId: top.comment.id });
        await service.react(actor, top.comment.id, '👍');
      }
    }
    const full = await measure();
    expect(full.page.items).toHaveLength(100);
    expect(full.page.items.filter((c) => c.replies.length === 1)).toHaveLength(10);
    expect(full.page.items.filter((c) => c.reactions.length === 1)).toHaveLength(10);
    // One query for the audit and its access, then three for the listing: threads, replies, reactions.
    expect(full.queries).toBe(4);
    expect(empty.queries).toBeLessThanOrEqual(4);
  }, 120_000);
});
