/** The team contract: members and invites. */
import { Type, type Static } from 'typebox';

import { Id, NullableTimestamp, Timestamp } from '../../schemas.js';

export const UserIdParams = Type.Object({ userId: Id });

export const IdParams = Type.Object({ id: Id });

// Invite tokens are 43 base64url characters; anything else cannot be one.
export const TokenParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{20,100}$' }) });

export const InviteSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Type.String(),
  status: Type.String(),
  expiresAt: Timestamp,
  createdAt: NullableTimestamp,
});

export type InviteJson = Static<typeof InviteSchema>;

/** POST /api/team/invites: the invite with its link, which no other answer shows. */
export const SentInviteSchema = Type.Object({
  invite: Type.Intersect([InviteSchema, Type.Object({ acceptUrl: Type.String() })]),
});

export type SentInviteJson = Static<typeof SentInviteSchema>;

/** GET /api/invites/:token: what an invite link offers, for whoever holds it. */
export const InviteInfoSchema = Type.Object({
  organizationName: Type.String(),
  email: Type.String(),
  role: Type.String(),
  expiresAt: Timestamp,
});

export type InviteInfoJson = Static<typeof InviteInfoSchema>;
