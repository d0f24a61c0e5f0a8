/**
 * The comment fan-out's rule over generated comments and audiences: whoever is told is
 * mentioned, the audit's owner or an earlier commenter; each member at most once; a mention
 * wins over a follow; nobody is told in a way their preferences turned off; and nobody who
 * would be told is left out.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { commentRecipients, type AudienceMember } from '../../src/domain/comment-recipients.js';

const ids = ['u1', 'u2', 'u3', 'u4', 'u5'];
const member: fc.Arbitrary<AudienceMember> = fc.record({
  userId: fc.constantFrom(...ids),
  email: fc.constantFrom('a@x.org', 'b@x.org', 'c@x.org'),
  name: fc.option(fc.constantFrom('Ada', 'Bo Bo', ' ada '), { nil: null }),
  commented: fc.boolean(),
  preferences: fc.record({
    inAppMentions: fc.boolean(),
    emailMentions: fc.boolean(),
    inAppComments: fc.boolean(),
    emailComments: fc.boolean(),
  }),
});
const content = fc
  .array(fc.constantFrom('Look', '@a@x.org', '@"Ada"', '@"Bo Bo"', '@c@x.org', 'thanks', '@"Nobody"'), {
    maxLength: 6,
  })
  .map((words) => words.join(' '));

describe('who a comment concerns', () => {
  it('holds for generated comments and audiences', () => {
    fc.assert(
      fc.property(
        content,
        fc.option(fc.constantFrom(...ids), { nil: null }),
        fc.array(member, { maxLength: 8 }),
        (text, owner, audience) => {
          const told = commentRecipients({ content: text, auditOwnerId: owner }, audience);
          // Each member at most once, in the audience's order of first appearance.
          expect(new Set(told.map((r) => r.userId)).size).toBe(told.length);
          const first = new Map<string, AudienceMember>();
          for (const m of audience) if (!first.has(m.userId)) first.set(m.userId, m);
          for (const [userId, m] of first) {
            const mentioned =
              text.split(' ').includes(`@${m.email}`) ||
              (m.name !== null && text.toLowerCase().includes(`@"${m.name.trim().toLowerCase()}"`));
            const follows = userId === owner || m.commented;
            const p = m.preferences;
            const inApp = mentioned ? p.inAppMentions : p.inAppComments;
            const byEmail = mentioned ? p.emailMentions : p.emailComments;
            const r = told.find((x) => x.userId === userId);
            if ((mentioned || follows) && (inApp || byEmail)) {
              expect(r).toEqual({ userId, email: m.email, kind: mentioned ? 'mention' : 'comment', inApp, byEmail });
            } else {
              expect(r).toBeUndefined();
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
