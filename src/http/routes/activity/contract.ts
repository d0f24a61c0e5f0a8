/** The activity feed's contract: what happened, to which audit, by whom. */
import { Type, type Static } from 'typebox';

import { Nullable, NullableTimestamp } from '../../schemas.js';

export const ActivitySchema = Type.Object({
  id: Type.String(),
  action: Type.String(),
  auditId: Nullable(Type.String()),
  auditName: Nullable(Type.String(), {
    description: "the audit's name while it exists (a deleted one's: metadata.name)",
  }),
  user: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) })),
  subjectName: Nullable(Type.String(), {
    description: 'the member the event concerns (metadata.memberId or withUserId), while in the organization',
  }),
  metadata: Type.Unknown(),
  createdAt: NullableTimestamp,
});

export type ActivityJson = Static<typeof ActivitySchema>;
