import { and, eq, inArray } from 'drizzle-orm';

import type { Executor } from '../db/database.js';
import { notificationPreferences, users } from '../db/schema.js';
import { newId } from '../domain/ids.js';

export interface NotificationPreferences {
  emailComments: boolean;
  emailMentions: boolean;
  emailShares: boolean;
  emailWeeklyDigest: boolean;
  emailRenewalReminders: boolean;
  inAppComments: boolean;
  inAppMentions: boolean;
}

/** Until a user changes anything there is no row, and every preference is on. */
export const DEFAULT_NOTIFICATION_PREFERENCES: Readonly<NotificationPreferences> = Object.freeze({
  emailComments: true,
  emailMentions: true,
  emailShares: true,
  emailWeeklyDigest: true,
  emailRenewalReminders: true,
  inAppComments: true,
  inAppMentions: true,
});

/** The preference columns, for queries that read them with other things (the comment fan-out). */
export const PREFERENCE_COLUMNS = {
  emailComments: notificationPreferences.emailComments,
  emailMentions: notificationPreferences.emailMentions,
  emailShares: notificationPreferences.emailShares,
  emailWeeklyDigest: notificationPreferences.emailWeeklyDigest,
  emailRenewalReminders: notificationPreferences.emailRenewalReminders,
  inAppComments: notificationPreferences.inAppComments,
  inAppMentions: notificationPreferences.inAppMentions,
};

export class NotificationPreferencesRepository {
  constructor(private readonly db: Executor) {}

  /** The user's preferences (defaults where unset); null when the user is not in this organization. */
  async get(organizationId: string, userId: string): Promise<NotificationPreferences | null> {
    const [row] = await this.db
      .select({ userId: users.id, prefs: PREFERENCE_COLUMNS })
      .from(users)
      .leftJoin(notificationPreferences, eq(notificationPreferences.userId, users.id))
      .where(and(eq(users.id, userId), eq(users.organizationId, organizationId)));
    if (!row) return null;
    return withDefaults(row.prefs);
  }

  /** Preferences of several users of the organization, in one query (defaults where unset). */
  async getMany(organizationId: string, userIds: string[]): Promise<Map<string, NotificationPreferences>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db
      .select({ userId: users.id, prefs: PREFERENCE_COLUMNS })
      .from(users)
      .leftJoin(notificationPreferences, eq(notificationPreferences.userId, users.id))
      .where(and(inArray(users.id, userIds), eq(users.organizationId, organizationId)));
    return new Map(rows.map((r) => [r.userId, withDefaults(r.prefs)]));
  }

  /** Changes the given preferences, keeping the others; null when the user is not in this organization. */
  async update(
    organizationId: string,
    userId: string,
    changes: Partial<NotificationPreferences>,
  ): Promise<NotificationPreferences | null> {
    const current = await this.get(organizationId, userId);
    if (!current) return null;
    const next = { ...current, ...changes };
    const now = new Date();
    const [row] = await this.db
      .insert(notificationPreferences)
      .values({ id: newId('notificationPreferences'), userId, ...next, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: notificationPreferences.userId, set: { ...next, updatedAt: now } })
      .returning(PREFERENCE_COLUMNS);
    return withDefaults(row!);
  }
}

/** A stored row may hold NULLs (the seed columns are nullable): those read as the default. */
export function withDefaults(
  prefs: { [K in keyof NotificationPreferences]: boolean | null } | null,
): NotificationPreferences {
  const result = { ...DEFAULT_NOTIFICATION_PREFERENCES };
  if (prefs === null) return result;
  for (const key of Object.keys(result) as (keyof NotificationPreferences)[]) {
    const value = prefs[key];
    if (value !== null) result[key] = value;
  }
  return result;
}
