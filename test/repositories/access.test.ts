/**
 * The access rule, decided in SQL in one place (repositories/access.repository.ts), checked
 * against a table of cases: every role × owner × visibility × share, for the three ways it
 * is asked — one user's level on an audit, every member's level at once (set-based), and
 * the audits a user may list.
 */
import { expect, it } from 'vitest';

import type { AccessLevel } from '../../src/policies/audit.policy.js';
import { AccessRepository } from '../../src/repositories/access.repository.js';
import { AuditShareRepository } from '../../src/repositories/audit-share.repository.js';
import { AuditUserShareRepository } from '../../src/repositories/audit-user-share.repository.js';
import { AuditRepository } from '../../src/repositories/audit.repository.js';
import type { Role } from '../../src/repositories/user.repository.js';
import { describeEachDatabase } from '../harness/databases.js';
import { makeAudit, makeOrganization, makeUser } from '../harness/factories.js';

type Visibility = 'private' | 'organization' | 'public' | 'unknown-value';
type Share = null | 'view' | 'comment' | 'edit';

/**
 * The contract's rule as a table, written out independently of the SQL: the level of a
 * caller of `role` who owns the audit or not, by visibility and by the caller's own share.
 */
const EXPECTED: Record<
  Role,
  { owner: Record<Visibility, AccessLevel>; other: Record<Visibility, Record<string, AccessLevel>> }
> = {
  admin: {
    owner: { private: 'manage', organization: 'manage', public: 'manage', 'unknown-value': 'manage' },
    other: {
      private: { none: 'manage', view: 'manage', comment: 'manage', edit: 'manage' },
      organization: { none: 'manage', view: 'manage', comment: 'manage', edit: 'manage' },
      public: { none: 'manage', view: 'manage', comment: 'manage', edit: 'manage' },
      'unknown-value': { none: 'manage', view: 'manage', comment: 'manage', edit: 'manage' },
    },
  },
  member: {
    owner: { private: 'manage', organization: 'manage', public: 'manage', 'unknown-value': 'manage' },
    other: {
      private: { none: 'none', view: 'view', comment: 'comment', edit: 'edit' },
      organization: { none: 'comment', view: 'comment', comment: 'comment', edit: 'edit' },
      public: { none: 'comment', view: 'comment', comment: 'comment', edit: 'edit' },
      // A value this version does not know reads as the strictest: private.
      'unknown-value': { none: 'none', view: 'view', comment: 'comment', edit: 'edit' },
    },
  },
  viewer: {
    // A viewer never exceeds comment, even on an audit of their own.
    owner: { private: 'comment', organization: 'comment', public: 'comment', 'unknown-value': 'comment' },
    other: {
      private: { none: 'none', view: 'view', comment: 'comment', edit: 'comment' },
      organization: { none: 'comment', view: 'comment', comment: 'comment', edit: 'comment' },
      public: { none: 'comment', view: 'comment', comment: 'comment', edit: 'comment' },
      'unknown-value': { none: 'none', view: 'view', comment: 'comment', edit: 'comment' },
    },
  },
};

describeEachDatabase('the access rule, in SQL', (get) => {
  it('one user, every member at once, and the lists agree with the table of cases', async () => {
    const db = get().database.db;
    const organization = await makeOrganization(db);
    const other = await makeOrganization(db);
    const owner = await makeUser(db, organization.id, 'member', 'Owner');
    const outsider = await makeUser(db, other.id, 'admin', 'Outsider');
    const access = new AccessRepository(db);
    const seen: string[] = [];
    const wanted: string[] = [];
    for (const visibility of ['private', 'organization', 'public', 'unknown-value'] as const) {
      // One caller per role and share, and one owner per role, all on the same audit.
      const callers: { id: string; role: Role; share: Share; owns: boolean }[] = [];
      const audit = await makeAudit(db, organization.id, owner.id, `audit ${visibility}`);
      for (const role of ['admin', 'member', 'viewer'] as const) {
        for (const share of [null, 'view', 'comment', 'edit'] as const) {
          const user = await makeUser(db, organization.id, role);
          callers.push({ id: user.id, role, share, owns: false });
          if (share) {
            await new AuditUserShareRepository(db).upsert(organization.id, {
              auditId: audit.id,
              userId: user.id,
              permission: share,
            });
          }
        }
      }
      if (visibility !== 'organization') {
        await new AuditShareRepository(db).setVisibility(
          organization.id,
          audit.id,
          visibility as 'private',
          visibility === 'public' ? `t${audit.id}`.padEnd(43, 'x') : null,
        );
      }
      // Owners: an audit of each role's own.
      const owned: { id: string; role: Role; auditId: string }[] = [];
      for (const role of ['admin', 'member', 'viewer'] as const) {
        const user = await makeUser(db, organization.id, role);
        const mine = await makeAudit(db, organization.id, user.id, `${role}'s own ${visibility}`);
        if (visibility !== 'organization') {
          await new AuditShareRepository(db).setVisibility(
            organization.id,
            mine.id,
            visibility as 'private',
            visibility === 'public' ? `o${mine.id}`.padEnd(43, 'x') : null,
          );
        }
        owned.push({ id: user.id, role, auditId: mine.id });
      }

      const everyone = new Map((await access.members(organization.id, audit.id, 'none')).map((m) => [m.id, m.level]));
      for (const caller of callers) {
        const label = `${visibility} ${caller.role} share=${caller.share ?? 'none'}`;
        const expected = EXPECTED[caller.role].other[visibility][caller.share ?? 'none']!;
        const one = await access.audit(organization.id, audit.id, { id: caller.id, role: caller.role });
        const page = await access.auditPage(organization.id, audit.id, { id: caller.id, role: caller.role });
        const listed = (
          JSON.parse(
            (
              await new AuditRepository(db).listPage(organization.id, {
                limit: 100,
                visibleTo: { userId: caller.id, role: caller.role },
              })
            ).items,
          ) as { id: string }[]
        ).some((a) => a.id === audit.id);
        // Below view the answer is not written at all.
        const answered =
          page && (page.json === null ? 'unwritten' : (JSON.parse(page.json) as { access: string }).access);
        seen.push(
          `${label}: one ${one?.level} page ${page?.level} answer ${answered} all ${everyone.get(caller.id)} listed ${listed}`,
        );
        wanted.push(
          `${label}: one ${expected} page ${expected} answer ${expected === 'none' ? 'unwritten' : expected} all ${expected} listed ${expected !== 'none'}`,
        );
      }
      for (const mine of owned) {
        const label = `${visibility} ${mine.role} owner`;
        const expected = EXPECTED[mine.role].owner[visibility];
        const one = await access.audit(organization.id, mine.auditId, { id: mine.id, role: mine.role });
        const all = (await access.members(organization.id, mine.auditId, 'none')).find((m) => m.id === mine.id);
        seen.push(`${label}: one ${one?.level} all ${all?.level}`);
        wanted.push(`${label}: one ${expected} all ${expected}`);
      }
      // Set-based with a minimum: exactly the members at or above it.
      const commenters = (await access.members(organization.id, audit.id, 'comment')).map((m) => m.id).sort();
      const expectedCommenters = [...everyone.entries()]
        .filter(([, level]) => ['comment', 'edit', 'manage'].includes(level))
        .map(([id]) => id)
        .sort();
      expect(commenters).toEqual(expectedCommenters);
      // Another organization: nothing, whoever asks.
      expect(await access.audit(other.id, audit.id, { id: outsider.id, role: 'admin' })).toBeNull();
      expect(await access.members(other.id, audit.id, 'none')).toEqual([]);
    }
    expect(seen).toEqual(wanted);
  }, 120_000);
});
