/** What belongs to the logged-in user alone: notification preferences and notifications. */
import { Type, type Static } from 'typebox';
import { NullableTimestamp, Timestamp, Nullable } from '../../schemas.js';

export const PREFERENCE_KEYS = [
  'emailComments',
  'emailMentions',
  'emailShares',
  'emailWeeklyDigest',
  'emailRenewalReminders',
  'inAppComments',
  'inAppMentions',
] as const;

export const Preferences = Type.Object(
  Object.fromEntries(PREFERENCE_KEYS.map((k) => [k, Type.Boolean()])) as Record<
    (typeof PREFERENCE_KEYS)[number],
    ReturnType<typeof Type.Boolean>
  >,
);

export const PreferencesPatch = Type.Partial(Preferences, { additionalProperties: false });

export const NotificationSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  auditId: Nullable(Type.String()),
  commentId: Nullable(Type.String()),
  actor: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) })),
  text: Type.String(),
  readAt: NullableTimestamp,
  createdAt: Timestamp,
});

/** GET /api/me/notifications: a page, newest first, with the count of all unread ones. */
export const NotificationPageSchema = Type.Object({
  items: Type.Array(NotificationSchema),
  nextCursor: Nullable(Type.String()),
  unreadCount: Type.Integer(),
});

export type PreferencesJson = Static<typeof Preferences>;
export type PreferencesPatchJson = Static<typeof PreferencesPatch>;
export type NotificationJson = Static<typeof NotificationSchema>;
export type NotificationPageJson = Static<typeof NotificationPageSchema>;
