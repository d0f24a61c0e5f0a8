import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, expect, it } from 'vitest';

import type { App } from '../../src/http/app.js';
import { CollaborationActivityRepository } from '../../src/repositories/collaboration-activity.repository.js';
import { EmailOutboxRepository } from '../../src/repositories/email-outbox.repository.js';
import { NotificationRepository } from '../../src/repositories/notification.repository.js';
import { OrganizationRepository } from '../../src/repositories/organization.repository.js';
import { SessionRepository } from '../../src/repositories/session.repository.js';
import { buildTestApp } from '../harness/app.js';
import { call, signup, team, uniqueEmail, verifyEmail, type Account } from '../harness/client.js';
import type { ErrorBody, NotificationPageJson } from '../harness/contract.js';
import { describeEachDatabase } from '../harness/databases.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

describeEachDatabase('organization and team', (get) => {
  let app: App;
  let t: Awaited<ReturnType<typeof team>>;
  let outsider: Account;

  beforeAll(async () => {
    app = await buildTestApp(get().database);
    await app.ready();
    // Business plan: room for the members the tests below add (free allows 5).
    const admin = await signup(app, { organizationName: 'Team Org' });
    await new OrganizationRepository(get().database.db).setPlan(admin.organization.id, 'business');
    t = await team(app, admin);
    outsider = await signup(app, { organizationName: 'Other Org' });
  });
  afterAll(() => app.close());

  const as = (who: Account | null) => (who ? { token: who.token } : {});
  const invite = async (by: Account, email = uniqueEmail('inv'), role = 'member') =>
    call<{ invite: { id: string; acceptUrl: string; status: string } }>(
      app,
      'POST',
      '/api/team/invites',
      { email, role },
      as(by),
    );
  const tokenOf = (acceptUrl: string) => acceptUrl.split('/invite/')[1]!;

  it('the role matrix: every route answers each kind of caller as the contract says', async () => {
    // Targets made fresh for each caller so that one caller's success does not change the next one's answer.
    type Case = [
      string,
      (who: Account | null) => Promise<{ method: Method; url: string; body?: unknown }>,
      Record<string, number>,
    ];
    const victim = async () => (await t.join('member', 'Victim')).user.id;
    const pendingInvite = async () => (await invite(t.admin)).body.invite.id;
    const cases: Case[] = [
      [
        'GET /api/organization',
        async () => ({ method: 'GET', url: '/api/organization' }),
        { admin: 200, member: 200, viewer: 200, outsider: 200, anonymous: 401 },
      ],
      [
        'PATCH /api/organization',
        async () => ({ method: 'PATCH', url: '/api/organization', body: { settings: { auditRetentionDays: 60 } } }),
        { admin: 200, member: 403, viewer: 403, outsider: 200, anonymous: 401 },
      ],
      [
        'GET /api/team/members',
        async () => ({ method: 'GET', url: '/api/team/members' }),
        { admin: 200, member: 200, viewer: 200, outsider: 200, anonymous: 401 },
      ],
      [
        'PATCH /api/team/members/:id',
        async () => ({ method: 'PATCH', url: `/api/team/members/${await victim()}`, body: { role: 'viewer' } }),
        { admin: 200, member: 403, viewer: 403, outsider: 404, anonymous: 401 },
      ],
      [
        'DELETE /api/team/members/:id',
        async () => ({ method: 'DELETE', url: `/api/team/members/${await victim()}` }),
        { admin: 204, member: 403, viewer: 403, outsider: 404, anonymous: 401 },
      ],
      [
        'POST /api/team/invites',
        async () => ({ method: 'POST', url: '/api/team/invites', body: { email: uniqueEmail('m'), role: 'viewer' } }),
        { admin: 201, member: 403, viewer: 403, outsider: 201, anonymous: 401 },
      ],
      [
        'GET /api/team/invites',
        async () => ({ method: 'GET', url: '/api/team/invites' }),
        { admin: 200, member: 403, viewer: 403, outsider: 200, anonymous: 401 },
      ],
      [
        'DELETE /api/team/invites/:id',
        async () => ({ method: 'DELETE', url: `/api/team/invites/${await pendingInvite()}` }),
        { admin: 204, member: 403, viewer: 403, outsider: 404, anonymous: 401 },
      ],
      [
        'GET /api/me/notification-preferences',
        async () => ({ method: 'GET', url: '/api/me/notification-preferences' }),
        { admin: 200, member: 200, viewer: 200, outsider: 200, anonymous: 401 },
      ],
      [
        'PUT /api/me/notification-preferences',
        async () => ({ method: 'PUT', url: '/api/me/notification-preferences', body: { emailWeeklyDigest: false } }),
        { admin: 200, member: 200, viewer: 200, outsider: 200, anonymous: 401 },
      ],
      [
        'GET /api/me/notifications',
        async () => ({ method: 'GET', url: '/api/me/notifications' }),
        { admin: 200, member: 200, viewer: 200, outsider: 200, anonymous: 401 },
      ],
      [
        'POST /api/me/notifications/read',
        async () => ({ method: 'POST', url: '/api/me/notifications/read', body: {} }),
        { admin: 204, member: 204, viewer: 204, outsider: 204, anonymous: 401 },
      ],
      [
        'GET /api/auth/me',
        async () => ({ method: 'GET', url: '/api/auth/me' }),
        { admin: 200, member: 200, viewer: 200, outsider: 200, anonymous: 401 },
      ],
      [
        'PATCH /api/auth/me',
        async () => ({ method: 'PATCH', url: '/api/auth/me', body: { name: 'Renamed' } }),
        { admin: 200, member: 200, viewer: 200, outsider: 200, anonymous: 401 },
      ],
    ];
    const callers: Record<string, Account | null> = {
      admin: t.admin,
      member: t.member,
      viewer: t.viewer,
      outsider,
      anonymous: null,
    };
    const seen: string[] = [];
    const expected: string[] = [];
    for (const [name, make, statuses] of cases) {
      for (const [caller, status] of Object.entries(statuses)) {
        const request = await make(callers[caller]!);
        const answer = await call(app, request.method, request.url, request.body, as(callers[caller]!));
        seen.push(`${name} as ${caller}: ${answer.status}`);
        expected.push(`${name} as ${caller}: ${status}`);
      }
    }
    expect(seen).toEqual(expected);
  }, 120_000);

  it('GET /api/organization shows plan, settings, limits and usage', async () => {
    const answer = await call<{ organization: Record<string, unknown> }>(
      app,
      'GET',
      '/api/organization',
      undefined,
      as(t.member),
    );
    expect(answer.body.organization).toMatchObject({
      id: t.admin.organization.id,
      plan: 'business',
      settings: { allowedDomains: [], maxAuditsPerMonth: null, baseCurrency: 'USD', timeZone: 'UTC' },
      limits: { auditsPerMonth: 500, members: 100 },
      usage: { auditsThisMonth: 0 },
    });
  });

  it('settings: validated, capped by the plan, and kept apart between organizations', async () => {
    // Two companies' admins with verified addresses at the same, unclaimed domain.
    const domain = `acme-${randomBytes(3).toString('hex')}.io`;
    const owner = await signup(app, { email: uniqueEmail('owner', domain) });
    const rival = await signup(app, { email: uniqueEmail('rival', domain), organizationName: 'Rival Co' });
    await verifyEmail(app, get().database.db, owner);
    await verifyEmail(app, get().database.db, rival);
    const patch = (body: unknown, who = owner) =>
      call<ErrorBody & { organization: { settings: Record<string, unknown>; limits: Record<string, unknown> } }>(
        app,
        'PATCH',
        '/api/organization',
        body,
        as(who),
      );

    const ok = await patch({
      name: 'Renamed Co',
      settings: { allowedDomains: [domain.toUpperCase(), `@${domain}`], maxAuditsPerMonth: 4, baseCurrency: 'EUR' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.organization.settings).toEqual({
      allowedDomains: [domain],
      maxAuditsPerMonth: 4,
      auditRetentionDays: 90,
      baseCurrency: 'EUR',
      timeZone: 'UTC',
      reminderLeadDays: [90, 30, 7],
      aiEnabled: true,
      aiIncludePeopleNames: false,
    });
    expect((await patch({ settings: { aiEnabled: 'yes' } })).status).toBe(400);
    expect(ok.body.organization.limits).toEqual({ auditsPerMonth: 4, members: 5 });

    const above = await patch({ settings: { maxAuditsPerMonth: 11 } });
    expect(above.status).toBe(422);
    expect(above.body.error.code).toBe('above_plan_limit');
    const badDomain = await patch({ settings: { allowedDomains: ['not a domain'] } });
    expect(badDomain.status).toBe(400);
    expect(badDomain.body.error.details?.[0]?.field).toBe('body.settings.allowedDomains.0');
    expect((await patch({ settings: { allowedDomains: ['gmail.com'] } })).status).toBe(400);
    expect((await patch({ settings: { baseCurrency: 'euro' } })).status).toBe(400);
    expect((await patch({ settings: { retention: 5 } })).status).toBe(400);
    // A domain is claimed once: the rival's admin has a verified address there too, and gets 409.
    const claimed = await patch({ settings: { allowedDomains: [domain] } }, rival);
    expect(claimed.status).toBe(409);

    // Nothing of the refused changes was written.
    const now = await call<{ organization: { settings: Record<string, unknown>; name: string } }>(
      app,
      'GET',
      '/api/organization',
      undefined,
      as(owner),
    );
    expect(now.body.organization).toMatchObject({
      name: 'Renamed Co',
      settings: { allowedDomains: [domain], maxAuditsPerMonth: 4, baseCurrency: 'EUR' },
    });
    expect(
      (
        await call<{ organization: { settings: { allowedDomains: string[] } } }>(
          app,
          'GET',
          '/api/organization',
          undefined,
          as(rival),
        )
      ).body.organization.settings.allowedDomains,
    ).toEqual([]);
  });

  it('a domain is added only by an admin with a verified email at it (422 otherwise); listed ones stay', async () => {
    const domain = `proof-${randomBytes(3).toString('hex')}.io`;
    const admin = await signup(app, { email: uniqueEmail('admin', domain) });
    const add = (domains: string[]) =>
      call<ErrorBody>(app, 'PATCH', '/api/organization', { settings: { allowedDomains: domains } }, as(admin));
    const unverified = await add([domain]);
    expect(unverified.status).toBe(422);
    expect(unverified.body.error.code).toBe('domain_not_verified');
    expect(unverified.body.error.message).toContain('not verified');

    await verifyEmail(app, get().database.db, admin);
    const elsewhere = await add([`other-${domain}`]);
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.error.message).toContain(`other-${domain}`);
    expect((await add([domain])).status).toBe(200);

    // A domain listed before (by an earlier version, or before the admin changed address) is kept.
    const moved = uniqueEmail('moved', `moved-${domain}`);
    const move = { email: moved, currentPassword: admin.password };
    expect((await call(app, 'PATCH', '/api/auth/me', move, as(admin))).status).toBe(200);
    expect((await add([domain])).status).toBe(200);
    const both = await add([domain, `moved-${domain}`]);
    expect(both.status).toBe(422); // the new address is not verified yet
    const settings = await call<{ organization: { settings: { allowedDomains: string[] } } }>(
      app,
      'GET',
      '/api/organization',
      undefined,
      as(admin),
    );
    expect(settings.body.organization.settings.allowedDomains).toEqual([domain]);
  });

  it('two organizations saving the same new domain at once: one lists it, the other gets 409', async () => {
    const domain = `race-${randomBytes(3).toString('hex')}.io`;
    const first = await signup(app, { email: uniqueEmail('first', domain) });
    const second = await signup(app, { email: uniqueEmail('second', domain) });
    await verifyEmail(app, get().database.db, first);
    await verifyEmail(app, get().database.db, second);
    const answers = await Promise.all(
      [first, second].map((who) =>
        call(app, 'PATCH', '/api/organization', { settings: { allowedDomains: [domain] } }, as(who)),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
  });

  it('roles: the last admin can be neither demoted nor removed; changes are in the activity feed', async () => {
    const solo = await signup(app);
    const demote = await call<ErrorBody>(
      app,
      'PATCH',
      `/api/team/members/${solo.user.id}`,
      { role: 'member' },
      as(solo),
    );
    expect(demote.status).toBe(422);
    expect(demote.body.error.code).toBe('last_admin');
    const remove = await call<ErrorBody>(app, 'DELETE', `/api/team/members/${solo.user.id}`, undefined, as(solo));
    expect(remove.status).toBe(422);

    const second = await t.join('admin', 'Second Admin');
    const promoted = await call<{ user: { role: string } }>(
      app,
      'PATCH',
      `/api/team/members/${t.member.user.id}`,
      { role: 'admin' },
      as(t.admin),
    );
    expect(promoted.body.user.role).toBe('admin');
    const back = await call(app, 'PATCH', `/api/team/members/${t.member.user.id}`, { role: 'member' }, as(second));
    expect(back.status).toBe(200);
    expect(
      (await call(app, 'PATCH', `/api/team/members/${t.member.user.id}`, { role: 'owner' }, as(t.admin))).status,
    ).toBe(400);

    const feed = await new CollaborationActivityRepository(get().database.db).list(t.admin.organization.id, {
      limit: 100,
    });
    const changes = feed.items.filter((a) => a.action === 'role_changed' && a.metadata?.memberId === t.member.user.id);
    expect(changes.map((a) => a.metadata)).toEqual([
      { memberId: t.member.user.id, from: 'admin', to: 'member' },
      { memberId: t.member.user.id, from: 'member', to: 'admin' },
    ]);
  });

  it('removing a member ends their sessions', async () => {
    const sessions = new SessionRepository(get().database.db);
    const leaving = await t.join('member', 'Leaving Soon');
    // Two more sessions (two browsers) besides the one accepting the invite opened.
    const tokens = [leaving.token];
    for (let i = 0; i < 2; i++) {
      const login = await call<Account>(app, 'POST', '/api/auth/login', {
        email: leaving.user.email,
        password: leaving.password,
      });
      tokens.push(login.body.token);
    }
    for (const token of tokens) expect((await call(app, 'GET', '/api/auth/me', undefined, { token })).status).toBe(200);
    expect(await sessions.countForUser(leaving.user.id)).toBe(3);
    const others = [t.admin, t.member, t.viewer].map((m) => m.user.id);
    const othersBefore = await Promise.all(others.map((id) => sessions.countForUser(id)));
    expect(othersBefore.every((n) => n > 0)).toBe(true);

    expect((await call(app, 'DELETE', `/api/team/members/${leaving.user.id}`, undefined, as(t.admin))).status).toBe(
      204,
    );
    // The rows are gone, not only refused (a 401 could also come from a lookup that filters them out).
    expect(await sessions.countForUser(leaving.user.id)).toBe(0);
    expect(await Promise.all(others.map((id) => sessions.countForUser(id)))).toEqual(othersBefore);
    for (const token of tokens) expect((await call(app, 'GET', '/api/auth/me', undefined, { token })).status).toBe(401);
    const members = await call<{ items: { id: string }[] }>(app, 'GET', '/api/team/members', undefined, as(t.admin));
    expect(members.body.items.map((m) => m.id)).not.toContain(leaving.user.id);
    // They can still log in to their own account, which sees no organization's data.
    const login = await call<Account>(app, 'POST', '/api/auth/login', {
      email: leaving.user.email,
      password: leaving.password,
    });
    expect(login.status).toBe(200);
    expect(login.body.organization).toBeNull();
    expect(login.body.user.organizationId).toBeNull();
    const audits = await call<ErrorBody>(app, 'GET', '/api/audits', undefined, as(login.body));
    expect(audits.status).toBe(403);
    expect(audits.body.error.message).toContain('does not belong to an organization');
    expect((await call(app, 'GET', '/api/team/members', undefined, as(login.body))).status).toBe(403);
  });

  it('invite: link shown once, email in the outbox, activity recorded, accepted once', async () => {
    const email = uniqueEmail('invitee');
    const created = await invite(t.admin, email.toUpperCase(), 'viewer');
    expect(created.status).toBe(201);
    expect(created.body.invite).toMatchObject({ email, role: 'viewer', status: 'pending' });
    const token = tokenOf(created.body.invite.acceptUrl);
    expect(created.body.invite.acceptUrl).toBe(`http://localhost:80/invite/${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const listed = await call<{ items: Record<string, unknown>[] }>(
      app,
      'GET',
      '/api/team/invites',
      undefined,
      as(t.admin),
    );
    const item = listed.body.items.find((i) => i.id === created.body.invite.id);
    expect(item).toBeDefined();
    expect(item).not.toHaveProperty('acceptUrl');

    const [mail] = await new EmailOutboxRepository(get().database.db).listTo(t.admin.organization.id, email);
    expect(mail).toMatchObject({ template: 'invite', status: 'pending' });
    expect(mail?.textBody).toContain(created.body.invite.acceptUrl);
    expect(mail?.htmlBody).toContain(created.body.invite.acceptUrl);

    const lookup = await call(app, 'GET', `/api/invites/${token}`);
    expect(lookup.body).toMatchObject({ organizationName: t.admin.organization.name, email, role: 'viewer' });

    const accepted = await call<Account>(app, 'POST', `/api/invites/${token}/accept`, {
      name: 'Ivy Invitee',
      password: 'ivy password',
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.user).toMatchObject({ email, role: 'viewer', organizationId: t.admin.organization.id });
    expect((await call(app, 'GET', '/api/auth/me', undefined, { token: accepted.body.token })).status).toBe(200);

    const twice = await call<ErrorBody>(app, 'POST', `/api/invites/${token}/accept`, {
      name: 'Again',
      password: 'ivy password',
    });
    expect(twice.status).toBe(410);
    expect(twice.body.error.code).toBe('invite_expired');
    expect((await call(app, 'GET', `/api/invites/${token}`)).status).toBe(410);

    const actions = (
      await new CollaborationActivityRepository(get().database.db).list(t.admin.organization.id, { limit: 100 })
    ).items;
    expect(actions.some((a) => a.action === 'member_invited' && a.metadata?.email === email)).toBe(true);
    expect(actions.some((a) => a.action === 'member_joined' && a.userId === accepted.body.user.id)).toBe(true);
  });

  it('invite: unknown 404, revoked 410, expired 410, re-invite replaces the old link', async () => {
    expect((await call(app, 'GET', `/api/invites/${'b'.repeat(43)}`)).status).toBe(404);
    expect((await call(app, 'GET', '/api/invites/short')).status).toBe(404);

    const revoked = await invite(t.admin);
    expect(
      (await call(app, 'DELETE', `/api/team/invites/${revoked.body.invite.id}`, undefined, as(t.admin))).status,
    ).toBe(204);
    expect((await call(app, 'GET', `/api/invites/${tokenOf(revoked.body.invite.acceptUrl)}`)).status).toBe(410);
    expect(
      (await call(app, 'DELETE', `/api/team/invites/${revoked.body.invite.id}`, undefined, as(t.admin))).status,
    ).toBe(404);

    const expiring = await invite(t.admin);
    await get().database.query("UPDATE team_invites SET expires_at = now() - interval '1 minute' WHERE id = $1", [
      expiring.body.invite.id,
    ]);
    const expired = await call<ErrorBody>(
      app,
      'POST',
      `/api/invites/${tokenOf(expiring.body.invite.acceptUrl)}/accept`,
      { name: 'Late', password: 'too late now' },
    );
    expect(expired.status).toBe(410);

    const email = uniqueEmail('twice');
    const first = await invite(t.admin, email);
    const second = await invite(t.admin, email, 'viewer');
    expect((await call(app, 'GET', `/api/invites/${tokenOf(first.body.invite.acceptUrl)}`)).status).toBe(410);
    expect((await call(app, 'GET', `/api/invites/${tokenOf(second.body.invite.acceptUrl)}`)).body).toMatchObject({
      role: 'viewer',
    });
  });

  it('invite: refusals — existing member 409, wrong email while logged in 403, account of another organization 409', async () => {
    const member = await invite(t.admin, t.member.user.email);
    expect(member.status).toBe(409);

    const forSomeone = await invite(t.admin);
    const wrongUser = await call<ErrorBody>(
      app,
      'POST',
      `/api/invites/${tokenOf(forSomeone.body.invite.acceptUrl)}/accept`,
      undefined,
      as(t.viewer),
    );
    expect(wrongUser.status).toBe(403);

    const forOutsider = await invite(t.admin, outsider.user.email);
    expect(forOutsider.status).toBe(201);
    const asOutsider = await call<ErrorBody>(
      app,
      'POST',
      `/api/invites/${tokenOf(forOutsider.body.invite.acceptUrl)}/accept`,
      undefined,
      as(outsider),
    );
    expect(asOutsider.status).toBe(409);
    expect(asOutsider.body.error.code).toBe('already_in_organization');
    const anonymously = await call<ErrorBody>(
      app,
      'POST',
      `/api/invites/${tokenOf(forOutsider.body.invite.acceptUrl)}/accept`,
      { name: 'X', password: 'whatever123' },
    );
    expect(anonymously.status).toBe(409);
    expect(anonymously.body.error.code).toBe('already_in_organization');
    // The refusals used nothing up: the invite is still pending.
    expect((await call(app, 'GET', `/api/invites/${tokenOf(forOutsider.body.invite.acceptUrl)}`)).status).toBe(200);

    const bad = await invite(t.admin);
    const short = await call<ErrorBody>(app, 'POST', `/api/invites/${tokenOf(bad.body.invite.acceptUrl)}/accept`, {
      name: 'Shorty',
      password: 'short',
    });
    expect(short.status).toBe(400);
    const missing = await call<ErrorBody>(app, 'POST', `/api/invites/${tokenOf(bad.body.invite.acceptUrl)}/accept`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.details?.map((d) => d.field)).toEqual(['body.name', 'body.password']);
    expect((await call(app, 'POST', '/api/team/invites', { email: 'nope', role: 'member' }, as(t.admin))).status).toBe(
      400,
    );
    expect(
      (await call(app, 'POST', '/api/team/invites', { email: uniqueEmail(), role: 'owner' }, as(t.admin))).status,
    ).toBe(400);
  });

  it('a removed member rejoins through an invite with their own password', async () => {
    const leaving = await t.join('member', 'Boomerang');
    await call(app, 'DELETE', `/api/team/members/${leaving.user.id}`, undefined, as(t.admin));
    const again = await invite(t.admin, leaving.user.email);
    const token = tokenOf(again.body.invite.acceptUrl);
    expect((await call(app, 'POST', `/api/invites/${token}/accept`, { password: 'not my password' })).status).toBe(401);
    const back = await call<Account>(app, 'POST', `/api/invites/${token}/accept`, { password: leaving.password });
    expect(back.status).toBe(200);
    expect(back.body.user.id).toBe(leaving.user.id);
  });

  it('the member limit of the plan: 402 on invite and on accept past it', async () => {
    const small = await signup(app);
    const seats = [];
    for (let i = 0; i < 4; i++) seats.push(await invite(small));
    expect(seats.every((s) => s.status === 201)).toBe(true);
    const fifth = await call<ErrorBody>(
      app,
      'POST',
      '/api/team/invites',
      { email: uniqueEmail(), role: 'member' },
      as(small),
    );
    expect(fifth.status).toBe(402);
    expect(fifth.body.error.code).toBe('plan_limit_reached');

    await new OrganizationRepository(get().database.db).setPlan(small.organization.id, 'pro');
    expect((await invite(small)).status).toBe(201);
  });

  it('notification preferences: all on by default, partial updates, unknown fields refused', async () => {
    const me = await signup(app);
    const initial = await call(app, 'GET', '/api/me/notification-preferences', undefined, as(me));
    expect(initial.body).toEqual({
      emailComments: true,
      emailMentions: true,
      emailShares: true,
      emailWeeklyDigest: true,
      emailRenewalReminders: true,
      inAppComments: true,
      inAppMentions: true,
    });
    const changed = await call(app, 'PUT', '/api/me/notification-preferences', { emailMentions: false }, as(me));
    expect(changed.body).toMatchObject({ emailMentions: false, emailComments: true });
    expect((await call(app, 'GET', '/api/me/notification-preferences', undefined, as(me))).body).toEqual(changed.body);
    expect((await call(app, 'PUT', '/api/me/notification-preferences', { sms: true }, as(me))).status).toBe(400);
    expect((await call(app, 'PUT', '/api/me/notification-preferences', { emailMentions: 'no' }, as(me))).status).toBe(
      400,
    );
  });

  it('notifications: newest first with the actor, unread count, marking read — only ones own', async () => {
    const repo = new NotificationRepository(get().database.db);
    const orgId = t.admin.organization.id;
    const n1 = await repo.create(orgId, {
      userId: t.member.user.id,
      type: 'mention',
      actorId: t.admin.user.id,
      text: 'first',
    });
    const n2 = await repo.create(orgId, {
      userId: t.member.user.id,
      type: 'share',
      actorId: t.admin.user.id,
      text: 'second',
    });
    const theirs = await repo.create(orgId, { userId: t.viewer.user.id, type: 'mention', text: 'not yours' });

    const list = await call<NotificationPageJson>(app, 'GET', '/api/me/notifications?limit=1', undefined, as(t.member));
    expect(list.body.items.map((n) => n.text)).toEqual(['second']);
    expect(list.body.items[0]?.actor?.id).toBe(t.admin.user.id);
    expect(list.body.unreadCount).toBe(2);
    const next = await call<NotificationPageJson>(
      app,
      'GET',
      `/api/me/notifications?limit=1&cursor=${list.body.nextCursor}`,
      undefined,
      as(t.member),
    );
    expect(next.body.items.map((n) => n.id)).toEqual([n1.id]);

    expect(
      (await call(app, 'POST', '/api/me/notifications/read', { ids: [n2.id, theirs.id] }, as(t.member))).status,
    ).toBe(204);
    expect(
      (await call<NotificationPageJson>(app, 'GET', '/api/me/notifications', undefined, as(t.member))).body.unreadCount,
    ).toBe(1);
    expect(
      (await call<NotificationPageJson>(app, 'GET', '/api/me/notifications', undefined, as(t.viewer))).body.unreadCount,
    ).toBe(1);
    await call(app, 'POST', '/api/me/notifications/read', undefined, as(t.member));
    expect(
      (await call<NotificationPageJson>(app, 'GET', '/api/me/notifications', undefined, as(t.member))).body.unreadCount,
    ).toBe(0);
    expect((await call(app, 'GET', '/api/me/notifications?limit=500', undefined, as(t.member))).status).toBe(400);
  });
});
