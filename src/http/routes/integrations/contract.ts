/** The integrations contract (never a token). */
import { Type, type Static } from 'typebox';
import { NullableTimestamp, Nullable } from '../../schemas.js';

export const IntegrationSchema = Type.Object({
  provider: Type.Enum(['quickbooks', 'xero', 'stripe'], { type: 'string' }),
  available: Type.Boolean({ description: 'whether this server is configured for the provider' }),
  connected: Type.Boolean(),
  lastSyncAt: NullableTimestamp,
  status: Type.String({ description: 'not_connected | connected | syncing | needs_reconnect | error' }),
  error: Nullable(Type.String()),
  lastSync: Nullable(Type.Object({ imported: Type.Integer(), duplicates: Type.Integer(), skipped: Type.Integer() })),
});

export const Provider = Type.Object({ provider: Type.String({ maxLength: 50 }) });

/** POST /api/integrations/:provider/connect by OAuth (QuickBooks, Xero): the provider's consent page to go to. */
export const ConsentUrl = Type.Object({ url: Type.String() });

export type IntegrationJson = Static<typeof IntegrationSchema>;
export type ConsentUrlJson = Static<typeof ConsentUrl>;
