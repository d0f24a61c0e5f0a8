/** The activity feed's contract: what happened, to which audit, by whom. */
import { Type, type Static } from 'typebox';

import { Nullable, NullableTimestamp } from '../../schemas.js';

export const ActivitySchema = Type.Object({
  id: Type.String(),
  action: Type.String(),
  auditId: Nullable(Type.String()),
  user: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) })),
  metadata: Type.Unknown(),
  createdAt: NullableTimestamp,
});

export type ActivityJson = Static<typeof ActivitySchema>;
