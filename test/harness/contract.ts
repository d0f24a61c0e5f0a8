/**
 * The contract's types for tests, from the TypeBox schemas that validate, serialise and
 * document the API (src/http/schemas.ts and each resource's contract.ts): a test names a
 * shape once, never restates it.
 */
export type { ErrorJson as ErrorBody, FieldErrorJson } from '../../src/http/schemas.js';
export type { AuthAnswer as AuthJson, CurrentAccountJson, UserJson } from '../../src/http/routes/auth/contract.js';
export type { OrganizationJson } from '../../src/http/routes/organization/contract.js';
export type { InviteJson } from '../../src/http/routes/team/contract.js';
export type { BillingJson } from '../../src/http/routes/billing/contract.js';
export type { IntegrationJson } from '../../src/http/routes/integrations/contract.js';
export type { SpendSummary, StatementImport, ToolCostJson } from '../../src/http/routes/spend/contract.js';
export type { AuditJson, AuditListItemJson } from '../../src/http/routes/audits/contract.js';
export type { CommentJson, ThreadJson } from '../../src/http/routes/comments/contract.js';
export type { NotificationPageJson } from '../../src/http/routes/me/contract.js';
export type { ActivityJson } from '../../src/http/routes/activity/contract.js';

import type { Analysis, AnalysisJson, AuditDetailJson } from '../../src/http/routes/audits/contract.js';

/**
 * GET /api/audits/:id with its analysis read as the engine's: the contract leaves the stored
 * analysis's parts `unknown` (each is returned as it was stored), a test reads their fields.
 */
export type AuditDetail = Omit<AuditDetailJson, 'analysis'> & {
  analysis: (Omit<AnalysisJson, keyof Analysis> & Analysis) | null;
};
