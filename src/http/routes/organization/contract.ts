/** The organization's contract: plan, settings, limits, usage. */
import { Type, type Static } from 'typebox';

import { Nullable, NullableTimestamp } from '../../schemas.js';

export const Limit = Nullable(Type.Integer(), { description: 'null: unlimited' });

export const LimitsSchema = Type.Object({ auditsPerMonth: Limit, members: Limit });

export const UsageSchema = Type.Object({ auditsThisMonth: Type.Integer(), members: Type.Integer() });

export const SettingsSchema = Type.Object({
  allowedDomains: Type.Array(Type.String()),
  maxAuditsPerMonth: Nullable(Type.Integer()),
  auditRetentionDays: Type.Integer(),
  baseCurrency: Type.String(),
  timeZone: Type.String({ description: 'IANA time zone: what "today" is for renewals and cancel-by dates' }),
  reminderLeadDays: Type.Array(Type.Integer(), {
    description:
      'Days before each cancel-by date (else renewal date) that renewal reminders are emailed, largest first',
  }),
  aiEnabled: Type.Boolean({
    description: 'the AI narrative and questions (where the server has a model, GET /api/ai); default true',
  }),
  aiIncludePeopleNames: Type.Boolean({
    description: "whether people's names (tool owners) are sent to the model; default false",
  }),
});

export const OrganizationSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  plan: Type.String(),
  settings: SettingsSchema,
  limits: LimitsSchema,
  usage: UsageSchema,
  createdAt: NullableTimestamp,
  updatedAt: NullableTimestamp,
});

export type OrganizationJson = Static<typeof OrganizationSchema>;

/**
 * `organization` is null for an account that belongs to no organization: one that signed up
 * at a domain an organization claims and has not verified its email yet (it joins on
 * verification), or a removed member. Such an account sees only itself.
 */
export const NullableOrganization = Nullable(OrganizationSchema, {
  description: 'null: the account belongs to no organization yet (email not verified) or any more',
});

export type LimitsJson = Static<typeof LimitsSchema>;
export type UsageJson = Static<typeof UsageSchema>;
export type SettingsJson = Static<typeof SettingsSchema>;
export type NullableOrganizationJson = Static<typeof NullableOrganization>;
