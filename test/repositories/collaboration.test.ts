import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { expect, it } from 'vitest';

import { rowsOf } from '../../src/db/database.js';
import { AccessRepository } from '../../src/repositories/access.repository.js';

import { AuditCommentRepository } from '../../src/repositories/audit-comment.repository.js';
import { AuditShareRepository } from '../../src/repositories/audit-share.repository.js';
import { AuditUserShareRepository } from '../../src/repositories/audit-user-share.repository.js';
import { AuditRepository } from '../../src/repositories/audit.repository.js';
import { CollaborationActivityRepository } from '../../src/repositories/collaboration-activity.repository.js';
import { CommentReactionRepository } from '../../src/repositories/comment-reaction.repository.js';
import {
  DEFAULT_NOTIFICATION_PREFERENCES,
  NotificationPreferencesRepository,
} from '../../src/repositories/notification-preferences.repository.js';
import { describeEachDatabase } from '../harness/databases.js';
import { makeAudit, makeTenant, makeUser } from '../harness/factories.js';

describeEachDatabase('collaboration', (get) => {
  const db = () => get().database.db;

  it('comments: threads, edits, deletes with their replies, scoped to the organization', async () => {
    const comments = new AuditCommentRepository(db());
    const { organization, admin } = await makeTenant(db());
    const other = await makeTenant(db());
    const audit = await makeAudit(db(), organization.id, admin.id);

    expect(
      await comments.create(other.organization.id, { auditId: audit.id, userId: other.admin.id, content: 'x' }),
    ).toBeNull();
    const top = (await comments.create(organization.id, {
      auditId: audit.id,
      userId: admin.id,
      content: '**first**',
    }))!;
    const second = (await comments.create(organization.id, {
      auditId: audit.id,
      userId: admin.id,
      content: 'second',
    }))!;
    const reply = (await comments.create(organization.id, {
      auditId: audit.id,
      userId: admin.id,
      parentId: top.id,
      content: 'a reply',
    }))!;

    expect(
      (await comments.pageTopLevelWithAuthors(organization.id, audit.id, { limit: 10 })).items.map((c) => c.content),
    ).toEqual(['**first**', 'second']);
    expect((await comments.repliesWithAuthors(organization.id, [top.id, second.id])).map((c) => c.id)).toEqual([
      reply.id,
    ]);
    expect((await comments.pageTopLevelWithAuthors(other.organization.id, audit.id, { limit: 10 })).items).toEqual([]);
    expect(await comments.findById(other.organization.id, top.id)).toBeNull();
    expect(await comments.updateContent(other.organization.id, top.id, 'hijack')).toBeNull();

    const edited = await comments.updateContent(organization.id, top.id, 'edited');
    expect(edited?.content).toBe('edited');
    expect(edited!.updatedAt!.getTime()).toBeGreaterThanOrEqual(top.updatedAt!.getTime());

    expect(await comments.delete(other.organization.id, top.id)).toBe(false);
    expect(await comments.delete(organization.id, top.id)).toBe(true);
    expect(await comments.findById(organization.id, reply.id)).toBeNull();
    expect(
      (await comments.pageTopLevelWithAuthors(organization.id, audit.id, { limit: 10 })).items.map((c) => c.id),
    ).toEqual([second.id]);
  });

  it('followers: a member follows an audit from their first comment, posted either way, and after deleting it', async () => {
    const comments = new AuditCommentRepository(db());
    const access = new AccessRepository(db());
    const { organization, admin } = await makeTenant(db());
    const member = await makeUser(db(), organization.id, 'member');
    const audit = await makeAudit(db(), organization.id, admin.id);
    const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
    const first = (await comments.create(organization.id, { auditId: audit.id, userId: member.id, content: 'first' }))!;
    await tick();
    const post = async (userId: string, role: string, content: string) =>
      (await comments.createWithActivity(
        organization.id,
        { id: userId, role },
        { auditId: audit.id, parentId: null, content },
      ))!.comment!;
    const byAdmin = await post(admin.id, 'admin', 'second');
    await tick();
    const again = await post(member.id, 'member', 'third');
    const followed = async (commentId: string) =>
      Object.fromEntries(
        (await access.commentAudiencesAcrossOrganizations([commentId])).map((m) => [m.userId, m.commented]),
      );
    // Nobody had commented before the first; the member had before the admin's; each before the third.
    expect(await followed(first.id)).toEqual({ [admin.id]: false });
    expect(await followed(byAdmin.id)).toEqual({ [member.id]: true });
    expect(await followed(again.id)).toEqual({ [admin.id]: true });
    const rows = async () =>
      rowsOf<{ user_id: string; first_commented_at: Date | string }>(
        await db().execute(sql`SELECT user_id, first_commented_at FROM audit_commenters WHERE audit_id = ${audit.id}`),
      ).map((row) => [row.user_id, new Date(row.first_commented_at).getTime()] as const);
    expect(new Map(await rows())).toEqual(
      new Map([
        [member.id, first.createdAt!.getTime()],
        [admin.id, byAdmin.createdAt!.getTime()],
      ]),
    );
    // A legacy import's comments keep the earliest time (an older comment moves it back).
    await db().execute(
      sql`UPDATE audit_commenters SET first_commented_at = first_commented_at + interval '1 day' WHERE user_id = ${member.id}`,
    );
    await comments.followFromCommentsAcrossOrganizations([again.id]);
    expect(new Map(await rows()).get(member.id)).toBe(again.createdAt!.getTime());
    await comments.followFromCommentsAcrossOrganizations([first.id]);
    expect(new Map(await rows()).get(member.id)).toBe(first.createdAt!.getTime());
    // Deleting the comment that made them a follower does not unfollow them.
    expect(await comments.delete(organization.id, first.id)).toBe(true);
    expect(await followed(byAdmin.id)).toEqual({ [member.id]: true });
    // Another organization's comment made nobody a follower.
    const other = await makeTenant(db());
    expect(
      await comments.create(other.organization.id, { auditId: audit.id, userId: other.admin.id, content: 'x' }),
    ).toBeNull();
    expect(await rows()).toHaveLength(2);
  });

  it('a comment refused for its level writes nothing: no comment, activity, fan-out job or follower', async () => {
    const comments = new AuditCommentRepository(db());
    const { organization, admin } = await makeTenant(db());
    const viewer = await makeUser(db(), organization.id, 'member');
    const audit = await makeAudit(db(), organization.id, admin.id);
    await new AuditShareRepository(db()).setVisibility(organization.id, audit.id, 'private', null);
    await new AuditUserShareRepository(db()).upsert(organization.id, {
      auditId: audit.id,
      userId: viewer.id,
      permission: 'view',
    });
    const counts = async () =>
      rowsOf<{ comments: number; jobs: number; followers: number; activity: number }>(
        await db().execute(sql`SELECT
          (SELECT count(*)::int FROM audit_comments WHERE audit_id = ${audit.id}) AS comments,
          (SELECT count(*)::int FROM comment_fanout_queue) AS jobs,
          (SELECT count(*)::int FROM audit_commenters WHERE audit_id = ${audit.id}) AS followers,
          (SELECT count(*)::int FROM collaboration_activity WHERE audit_id = ${audit.id} AND action = 'comment_added') AS activity`),
      )[0];
    const before = await counts();
    const post = () =>
      comments.createWithActivity(
        organization.id,
        { id: viewer.id, role: 'member' },
        { auditId: audit.id, parentId: null, content: 'not allowed' },
      );
    expect(await post()).toEqual({ level: 'view', comment: null });
    expect(await counts()).toEqual(before);
    // The same statement writes them all once the level suffices.
    await new AuditUserShareRepository(db()).upsert(organization.id, {
      auditId: audit.id,
      userId: viewer.id,
      permission: 'comment',
    });
    expect((await post())?.comment?.content).toBe('not allowed');
    expect(await counts()).toEqual({
      comments: before!.comments + 1,
      jobs: before!.jobs + 1,
      followers: before!.followers + 1,
      activity: before!.activity + 1,
    });
  });

  it("any run of comments and replies: stored exactly when the level and the parent allow, with one activity row and one job each, and followers from each author's first", async () => {
    const { organization, admin } = await makeTenant(db());
    const commenter = await makeUser(db(), organization.id, 'member');
    const onlyViews = await makeUser(db(), organization.id, 'member');
    const authors = [
      { user: admin, level: 'manage' },
      { user: commenter, level: 'comment' },
      { user: onlyViews, level: 'view' },
    ] as const;
    const elsewhere = await makeAudit(db(), organization.id, admin.id, 'Elsewhere');
    const foreign = (await new AuditCommentRepository(db()).create(organization.id, {
      auditId: elsewhere.id,
      userId: admin.id,
      content: 'on another audit',
    }))!;
    const post = fc.record({
      author: fc.constantFrom(0, 1, 2),
      // A reply to the n-th comment stored so far (wrapping), or to a comment on another audit.
      parent: fc.oneof(fc.constant(null), fc.nat(20), fc.constant('foreign' as const)),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(post, { maxLength: 8 }), async (posts) => {
        const comments = new AuditCommentRepository(db());
        const audit = await makeAudit(db(), organization.id, admin.id, 'Private thread');
        await new AuditShareRepository(db()).setVisibility(organization.id, audit.id, 'private', null);
        for (const [user, permission] of [
          [commenter, 'comment'],
          [onlyViews, 'view'],
        ] as const) {
          await new AuditUserShareRepository(db()).upsert(organization.id, {
            auditId: audit.id,
            userId: user.id,
            permission,
          });
        }
        const stored: { id: string; userId: string; parentId: string | null; createdAt: number }[] = [];
        for (const { author, parent } of posts) {
          const { user, level } = authors[author];
          const parentComment =
            parent === null
              ? null
              : parent === 'foreign'
                ? { id: foreign.id, parentId: null }
                : (stored[parent % Math.max(stored.length, 1)] ?? null);
          const added = await comments.createWithActivity(
            organization.id,
            { id: user.id, role: user.role },
            { auditId: audit.id, parentId: parent === null ? null : (parentComment?.id ?? 'cmt_none'), content: 'x' },
          );
          expect(added?.level).toBe(level);
          const allowed = level !== 'view' && (parent === null || (parent !== 'foreign' && parentComment !== null));
          expect(added?.comment !== null).toBe(allowed);
          if (!added?.comment) continue;
          // A reply joins its parent's thread: threads are one level deep.
          expect(added.comment.parentId).toBe(parentComment ? (parentComment.parentId ?? parentComment.id) : null);
          stored.push({
            id: added.comment.id,
            userId: user.id,
            parentId: added.comment.parentId,
            createdAt: added.comment.createdAt!.getTime(),
          });
        }
        const [counts] = rowsOf<{ comments: number; activity: number; jobs: number }>(
          await db().execute(sql`SELECT
            (SELECT count(*)::int FROM audit_comments WHERE audit_id = ${audit.id}) AS comments,
            (SELECT count(*)::int FROM collaboration_activity WHERE audit_id = ${audit.id} AND action = 'comment_added') AS activity,
            (SELECT count(*)::int FROM comment_fanout_queue q JOIN audit_comments c ON c.id = q.comment_id WHERE c.audit_id = ${audit.id}) AS jobs`),
        );
        expect(counts).toEqual({ comments: stored.length, activity: stored.length, jobs: stored.length });
        const followers = rowsOf<{ user_id: string; first: Date | string }>(
          await db().execute(
            sql`SELECT user_id, first_commented_at AS first FROM audit_commenters WHERE audit_id = ${audit.id}`,
          ),
        );
        const firsts = new Map<string, number>();
        for (const c of stored) firsts.set(c.userId, Math.min(firsts.get(c.userId) ?? Infinity, c.createdAt));
        expect(new Map(followers.map((f) => [f.user_id, new Date(f.first).getTime()] as const))).toEqual(firsts);
        // The fan-out's rule, as the EXISTS over audit_comments it replaced had it: a member had
        // commented before a comment when a comment of theirs on the audit is strictly older.
        const audience = await new AccessRepository(db()).commentAudiencesAcrossOrganizations(stored.map((c) => c.id));
        expect(audience.map((m) => [m.commentId, m.userId, m.commented])).toEqual(
          expect.arrayContaining(
            stored.flatMap((c) =>
              authors
                .filter(({ user }) => user.id !== c.userId)
                .map(({ user }) => [
                  c.id,
                  user.id,
                  stored.some((earlier) => earlier.userId === user.id && earlier.createdAt < c.createdAt),
                ]),
            ),
          ),
        );
        expect(audience).toHaveLength(stored.length * (authors.length - 1));
      }),
      { numRuns: 20 },
    );
  }, 120_000);

  it('reactions: one per (comment, user, reaction), summarised in one query', async () => {
    const comments = new AuditCommentRepository(db());
    const reactions = new CommentReactionRepository(db());
    const { organization, admin } = await makeTenant(db());
    const member = await makeUser(db(), organization.id);
    const other = await makeTenant(db());
    const audit = await makeAudit(db(), organization.id, admin.id);
    const c1 = (await comments.create(organization.id, { auditId: audit.id, userId: admin.id, content: 'one' }))!;
    const c2 = (await comments.create(organization.id, { auditId: audit.id, userId: admin.id, content: 'two' }))!;

    expect(await reactions.add(organization.id, { commentId: c1.id, userId: admin.id, reaction: '👍' })).toBe(true);
    expect(await reactions.add(organization.id, { commentId: c1.id, userId: admin.id, reaction: '👍' })).toBe(false);
    expect(await reactions.add(organization.id, { commentId: c1.id, userId: member.id, reaction: '👍' })).toBe(true);
    expect(await reactions.add(organization.id, { commentId: c2.id, userId: member.id, reaction: 'tada' })).toBe(true);
    expect(
      await reactions.add(other.organization.id, { commentId: c1.id, userId: other.admin.id, reaction: '👍' }),
    ).toBeNull();

    expect(await reactions.summarize(organization.id, [c1.id, c2.id], admin.id)).toEqual(
      [
        { commentId: c1.id, reaction: '👍', count: 2, reactedByMe: true },
        { commentId: c2.id, reaction: 'tada', count: 1, reactedByMe: false },
      ].sort((a, b) => (a.commentId < b.commentId ? -1 : 1)),
    );
    expect(await reactions.summarize(other.organization.id, [c1.id], other.admin.id)).toEqual([]);
    expect(await reactions.remove(other.organization.id, { commentId: c1.id, userId: admin.id, reaction: '👍' })).toBe(
      false,
    );
    expect(await reactions.remove(organization.id, { commentId: c1.id, userId: admin.id, reaction: '👍' })).toBe(true);
    expect((await reactions.summarize(organization.id, [c1.id], admin.id))[0]).toMatchObject({
      count: 1,
      reactedByMe: false,
    });
  });

  it('visibility: no row until changed, one row per audit, public tokens found across organizations', async () => {
    const shares = new AuditShareRepository(db());
    const { organization, admin } = await makeTenant(db());
    const other = await makeTenant(db());
    const audit = await makeAudit(db(), organization.id, admin.id);

    expect(await shares.findByAudit(organization.id, audit.id)).toBeNull();
    expect(await shares.setVisibility(other.organization.id, audit.id, 'public', 'tok')).toBeNull();
    const token = `tok_${audit.id}`;
    const made = await shares.setVisibility(organization.id, audit.id, 'public', token);
    expect(made).toMatchObject({ visibility: 'public', shareToken: token });
    expect((await shares.findPublicByTokenAcrossOrganizations(token))?.auditId).toBe(audit.id);

    const back = await shares.setVisibility(organization.id, audit.id, 'private', null);
    expect(back).toMatchObject({ id: made!.id, visibility: 'private', shareToken: null });
    expect(await shares.findPublicByTokenAcrossOrganizations(token)).toBeNull();
    expect(await shares.findByAudit(other.organization.id, audit.id)).toBeNull();
  });

  it('per-user shares: created once, permission changed on repeat, removed with the user', async () => {
    const userShares = new AuditUserShareRepository(db());
    const { organization, admin } = await makeTenant(db());
    const member = await makeUser(db(), organization.id);
    const other = await makeTenant(db());
    const audit = await makeAudit(db(), organization.id, admin.id);

    const created = await userShares.upsert(organization.id, {
      auditId: audit.id,
      userId: member.id,
      permission: 'view',
    });
    expect(created).toMatchObject({ created: true, share: { permission: 'view' } });
    const changed = await userShares.upsert(organization.id, {
      auditId: audit.id,
      userId: member.id,
      permission: 'edit',
    });
    expect(changed).toMatchObject({ created: false, share: { id: created!.share.id, permission: 'edit' } });
    expect(
      await userShares.upsert(other.organization.id, { auditId: audit.id, userId: member.id, permission: 'edit' }),
    ).toBeNull();

    expect((await userShares.listForAudit(organization.id, audit.id)).map((s) => s.userId)).toEqual([member.id]);
    expect(await userShares.listForAudit(other.organization.id, audit.id)).toEqual([]);
    expect((await userShares.findForUser(organization.id, audit.id, member.id))?.permission).toBe('edit');
    expect(await userShares.delete(other.organization.id, audit.id, member.id)).toBe(false);
    expect(await userShares.delete(organization.id, audit.id, member.id)).toBe(true);
    expect(await userShares.findForUser(organization.id, audit.id, member.id)).toBeNull();
  });

  it('activity: newest first per organization, filtered by audit, paged', async () => {
    const activity = new CollaborationActivityRepository(db());
    const { organization, admin } = await makeTenant(db());
    const other = await makeTenant(db());
    const audit = await makeAudit(db(), organization.id, admin.id);
    for (let i = 0; i < 5; i++) {
      await activity.record(organization.id, {
        auditId: audit.id,
        userId: admin.id,
        action: 'comment_added',
        metadata: { i },
      });
    }
    await activity.record(organization.id, { auditId: null, userId: admin.id, action: 'member_joined' });
    await activity.record(other.organization.id, { auditId: null, userId: other.admin.id, action: 'member_joined' });

    const page = await activity.list(organization.id, { limit: 4 });
    expect(page.items.map((a) => a.action)).toEqual([
      'member_joined',
      'comment_added',
      'comment_added',
      'comment_added',
    ]);
    const rest = await activity.list(organization.id, { limit: 4, cursor: page.nextCursor });
    expect(rest.items.map((a) => a.metadata)).toEqual([{ i: 1 }, { i: 0 }]);
    expect(rest.nextCursor).toBeNull();
    expect((await activity.list(organization.id, { auditId: audit.id })).items).toHaveLength(5);
    expect((await activity.list(other.organization.id)).items.map((a) => a.action)).toEqual(['member_joined']);

    await new AuditRepository(db()).delete(organization.id, audit.id);
    expect((await activity.list(organization.id)).items.map((a) => a.action)).toEqual(['member_joined']);
  });

  it('notification preferences: all on by default, partial updates, scoped to the organization', async () => {
    const prefs = new NotificationPreferencesRepository(db());
    const { organization, admin } = await makeTenant(db());
    const other = await makeTenant(db());
    expect(await prefs.get(organization.id, admin.id)).toEqual(DEFAULT_NOTIFICATION_PREFERENCES);
    expect(await prefs.get(other.organization.id, admin.id)).toBeNull();
    expect(await prefs.update(other.organization.id, admin.id, { emailMentions: false })).toBeNull();

    const changed = await prefs.update(organization.id, admin.id, { emailMentions: false, inAppComments: false });
    expect(changed).toEqual({ ...DEFAULT_NOTIFICATION_PREFERENCES, emailMentions: false, inAppComments: false });
    const again = await prefs.update(organization.id, admin.id, { emailMentions: true });
    expect(again).toEqual({ ...DEFAULT_NOTIFICATION_PREFERENCES, inAppComments: false });
    expect(await prefs.get(organization.id, admin.id)).toEqual(again);
  });
});
