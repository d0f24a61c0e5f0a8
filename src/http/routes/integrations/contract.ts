/** The integrations contract (never a token). */
import { Type, type Static } from 'typebox';
import { NullableTimestamp, Nullable } from '../../schemas.js';

export const IntegrationSchema = Type.Object({
  provider: Type.Enum(['quickbooks', 'xero', 'stripe', 'google', 'microsoft', 'okta'], { type: 'string' }),
  name: Type.String({ description: "The provider's name as people know it (Google Workspace)" }),
  kind: Type.Union([Type.Literal('spend'), Type.Literal('usage')], {
    description: 'spend: cost lines come from it; usage: seats and people active per app (identity providers)',
  }),
  available: Type.Boolean({ description: 'whether this server is configured for the provider' }),
  connected: Type.Boolean(),
  lastSyncAt: NullableTimestamp,
  status: Type.String({ description: 'not_connected | connected | syncing | needs_reconnect | error' }),
  error: Nullable(Type.String()),
  lastSync: Nullable(
    Type.Object(
      { imported: Type.Integer(), duplicates: Type.Integer(), skipped: Type.Integer() },
      {
        description:
          'spend: cost lines imported, already there, skipped; usage: apps seen, 0, apps matching no catalog tool',
      },
    ),
  ),
  requires: Type.Array(Type.String(), {
    description: 'When not available: the server settings (environment variables) it needs',
  }),
});

/** An app an identity provider reports, with its usage, and whether any recent audit lists it. */
export const AppUsageSchema = Type.Object({
  provider: Type.String(),
  appName: Type.String(),
  toolName: Nullable(Type.String({ description: 'The catalog tool the app is; null: unmatched' })),
  purchased: Nullable(Type.Integer()),
  assigned: Nullable(Type.Integer()),
  active30: Type.Integer({ description: 'People active in the last 30 days' }),
  active90: Type.Integer({ description: 'People active in the last 90 days' }),
  users: Type.Integer(),
  syncedAt: Type.String({ format: 'date-time' }),
  discovered: Type.Boolean({ description: 'Seen in use, listed by none of the 50 newest audits (shadow IT)' }),
});

export const OktaConnectBody = Type.Object(
  {
    orgUrl: Type.String({ minLength: 1, maxLength: 255, description: 'e.g. https://acme.okta.com' }),
    apiToken: Type.String({ minLength: 10, maxLength: 255 }),
  },
  { additionalProperties: false },
);

export type AppUsageJson = Static<typeof AppUsageSchema>;

export const Provider = Type.Object({ provider: Type.String({ maxLength: 50 }) });

/** POST /api/integrations/:provider/connect by OAuth (QuickBooks, Xero): the provider's consent page to go to. */
export const ConsentUrl = Type.Object({ url: Type.String() });

export type IntegrationJson = Static<typeof IntegrationSchema>;
export type ConsentUrlJson = Static<typeof ConsentUrl>;
