/**
 * The weekly digest's words: every kind of event counted in English (one and many), most
 * frequent first, the audits it happened on named, and a cut-off feed said to be one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { weeklyDigestEmail } from '../../src/domain/email-templates.js';

const URL = 'https://app.example/activity';
const on = (auditId: string | null, auditName: string | null, action: string, times = 1) =>
  Array.from({ length: times }, () => ({ action, auditId, auditName }));

describe('weekly digest email', () => {
  it('counts each kind of event in words, one and many, most frequent first', () => {
    const email = weeklyDigestEmail({
      events: [
        ...on('a1', 'Q3 stack', 'comment_added', 3),
        ...on('a1', 'Q3 stack', 'analysis_completed'),
        ...on('a2', 'Vendor review', 'audit_created'),
        ...on('a2', 'Vendor review', 'reaction_added', 2),
        ...on(null, null, 'member_joined'),
        ...on(null, null, 'member_invited', 2),
        ...on(null, null, 'audit_deleted'),
      ],
      more: false,
      url: URL,
    });
    expect(email.subject).toBe('Your StackAudit week: 3 new comments, 2 invitations sent');
    expect(email.text).toContain(
      [
        'In the last seven days, on the audits you can see:',
        '• 3 new comments',
        '• 2 invitations sent',
        '• 2 reactions',
        '• 1 analysis completed',
        '• 1 audit created',
        '• 1 audit deleted',
        '• 1 person joined',
        'Where: Q3 stack (4 events), Vendor review (3 events).',
      ].join('\n\n'),
    );
    expect(email.text).toContain(`See the activity: ${URL}`);
    // Nothing in the raw form the database keeps.
    expect(email.text).not.toMatch(/[a-z]_[a-z]/);
  });

  it('names the five most active audits and counts the rest', () => {
    const events = ['A', 'B', 'C', 'D', 'E', 'F', 'G'].flatMap((name, i) =>
      on(`id-${name}`, name, 'comment_added', 7 - i),
    );
    const email = weeklyDigestEmail({ events, more: false, url: URL });
    expect(email.text).toContain(
      'Where: A (7 events), B (6 events), C (5 events), D (4 events), E (3 events), and 2 more audits.',
    );
    // Without G's one event: A to F, five named and one more.
    const one = weeklyDigestEmail({ events: events.slice(0, -1), more: false, url: URL });
    expect(one.text).toContain('E (3 events), and 1 more audit.');
  });

  it('says when the week had more events than it counted, and counts an unknown kind by its name', () => {
    const email = weeklyDigestEmail({
      events: [...on('a1', 'Q3 stack', 'comment_added', 99), ...on('a1', 'Q3 stack', 'audit_archived')],
      more: true,
      url: URL,
    });
    expect(email.subject).toBe('Your StackAudit week: 99 new comments, 1 × audit archived and more');
    expect(email.text).toContain('the latest 100 events; the activity page has them all');
  });

  it('counts every event once: the counts listed add up to the events given', () => {
    const actions = ['audit_created', 'comment_added', 'reaction_added', 'member_joined', 'role_changed', 'x_y'];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            action: fc.constantFrom(...actions),
            auditId: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null }),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        (drawn) => {
          const events = drawn.map((e) => ({ ...e, auditName: e.auditId ? `Audit ${e.auditId}` : null }));
          const email = weeklyDigestEmail({ events, more: false, url: URL });
          const listed = [...email.text.matchAll(/^• (\d+) /gm)].reduce((sum, m) => sum + Number(m[1]), 0);
          expect(listed).toBe(events.length);
          const onAudits = [...email.text.matchAll(/\((\d+) events?\)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
          expect(onAudits).toBe(events.filter((e) => e.auditId !== null).length);
        },
      ),
    );
  });
});
