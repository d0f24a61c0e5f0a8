/** The sharing contract: visibility, the public link, per-person shares, people. */
import { Type, type Static } from 'typebox';

import { Nullable, NullableTimestamp } from '../../schemas.js';

export const Visibility = Type.Union([Type.Literal('private'), Type.Literal('organization'), Type.Literal('public')]);

/** A public link's token, as the link carries it. */
export const SharedParams = Type.Object({ shareToken: Type.String({ pattern: '^[A-Za-z0-9_-]{20,100}$' }) });

export const Permission = Type.Union([Type.Literal('view'), Type.Literal('comment'), Type.Literal('edit')]);

export const ShareSchema = Type.Object({
  visibility: Visibility,
  shareToken: Nullable(Type.String()),
  shareUrl: Nullable(Type.String()),
});

export const PersonSchema = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String()),
  email: Type.String(),
});

export const UserShareSchema = Type.Object({
  user: PersonSchema,
  permission: Type.String(),
  createdAt: NullableTimestamp,
});

/** GET /api/shared/:shareToken: a public audit (without its tools' owners) and its analysis, read-only. */
export const SharedAuditSchema = Type.Object({
  audit: Type.Object({
    id: Type.String(),
    name: Type.String(),
    status: Type.String(),
    stackData: Type.Unknown(),
    createdAt: NullableTimestamp,
    completedAt: NullableTimestamp,
  }),
  analysis: Type.Unknown(),
  /** Today in the organization's time zone: what the renewal dates on the page count from. */
  today: Type.String({ format: 'date' }),
});

export type ShareJson = Static<typeof ShareSchema>;
export type PersonJson = Static<typeof PersonSchema>;
export type UserShareJson = Static<typeof UserShareSchema>;
export type SharedAuditJson = Static<typeof SharedAuditSchema>;

export type VisibilityJson = Static<typeof Visibility>;
export type PermissionJson = Static<typeof Permission>;
