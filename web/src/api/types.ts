/**
 * The API's answers as the web app reads them, in one place: imported from the server's
 * contract, `src/http/routes/<resource>/contract.ts` and `src/http/schemas.ts` (the TypeBox
 * schemas that validate, serialise and document the API, and their `…Json` types), never
 * written again here. Types only: nothing of the server's code reaches the bundle.
 *
 * Where the app relies on more than a schema states, a type below is the contract's with
 * those fields narrower (`With`), and says why; it never restates a whole shape. Request
 * bodies are written by the hooks that send them.
 */
import type { Static } from 'typebox';

import type { AcceptedResponseJson, CurrentAccountJson, UserJson } from '../../../src/http/routes/auth/contract';
import type {
  Analysis,
  AnalysisJson,
  AuditDetailJson,
  AuditJson,
  AuditListItemJson,
  StackData,
  Status,
} from '../../../src/http/routes/audits/contract';
import type { ThreadJson } from '../../../src/http/routes/comments/contract';
import type { ConsentUrlJson } from '../../../src/http/routes/integrations/contract';
import type { OrganizationJson } from '../../../src/http/routes/organization/contract';
import type { PermissionJson, SharedAuditJson, UserShareJson } from '../../../src/http/routes/shares/contract';
import type { RoleSchema } from '../../../src/http/schemas';

/** The contract's type `T` with the fields of `Narrower` in their place. */
type With<T, Narrower> = Omit<T, keyof Narrower> & Narrower;

// ── Lists ───────────────────────────────────────────────────────────────────
// Every list is `{items, nextCursor}` around its resource's item schema; the item types come
// from the contract, the envelope is written once here.

/** A list answered whole (`nextCursor` is always null). */
export interface Items<T> {
  items: T[];
}

/** A page of a cursor-paginated list; `nextCursor` is null on the last page. */
export interface CursorPage<T> extends Items<T> {
  nextCursor: string | null;
}

// ── Accounts and organizations ──────────────────────────────────────────────

/** The roles a request may give (RoleSchema): the server writes no other. */
export type Role = Static<typeof RoleSchema>;

/** The contract says `role: string` (the column is text); the server only ever writes a Role. */
export type User = With<UserJson, { role: Role }>;

/** The logged-in account (/api/auth/me, POST /api/auth/verify-email). */
export type CurrentAccount = With<CurrentAccountJson, { user: User }>;

/** GET /api/auth/session: the current account, or a null user when nobody is logged in. */
export type SessionAnswer = With<CurrentAccountJson, { user: User | null }>;

/** An answer that only says what happened (a link sent, …), in words for the user. */
export type Message = AcceptedResponseJson;

export type {
  OrganizationJson as Organization,
  LimitsJson as Limits,
  UsageJson as Usage,
} from '../../../src/http/routes/organization/contract';

/** GET and PATCH /api/organization. */
export interface OrganizationAnswer {
  organization: OrganizationJson;
}

// ── Audits ──────────────────────────────────────────────────────────────────

// The stack, the analysis and the diff are the domain's shapes, re-exported by the contract.
export type { Analysis, AuditDiff, Recommendation, StackData, Tool } from '../../../src/http/routes/audits/contract';
export type { CatalogItemJson as CatalogItem } from '../../../src/http/routes/audits/contract';

/** The statuses an audit goes through (the list's `status` filter): the only ones the server writes. */
export type AuditStatus = Static<typeof Status>;

/**
 * An audit with its stack (GET /api/audits/:id, and as created or saved). The contract says
 * `status: string` and `stackData: unknown` (both stored as they were written); the server
 * writes only these statuses, and only a stack StackDataSchema validated.
 */
export type Audit = With<AuditJson, { status: AuditStatus; stackData: StackData }>;

/** An audit in a list (GET /api/audits): its totals, without its stack. `status` as for Audit. */
export type AuditListItem = With<AuditListItemJson, { status: AuditStatus }>;

/**
 * An analysis as stored: the contract leaves its parts `unknown` (each is returned as it was
 * stored); they are the engine's. One stored by an older version may lack newer fields:
 * pages read them defensively.
 */
export type StoredAnalysis = With<AnalysisJson, Analysis>;

/** What the caller may do with an audit; what a page offers follows it. */
export type Access = AuditDetailJson['access'];

/** GET /api/audits/:id, with the audit and its analysis as above. */
export type AuditView = With<AuditDetailJson, { audit: Audit; analysis: StoredAnalysis | null }>;

/** An audit as created or saved (POST /api/audits, …/import, …/from-spend; PATCH /api/audits/:id). */
export interface SavedAudit {
  audit: Audit;
}

// ── Collaboration ───────────────────────────────────────────────────────────

export type { CommentJson as Comment } from '../../../src/http/routes/comments/contract';

/** A comment with its replies (GET /api/audits/:id/comments). */
export type Thread = ThreadJson;

/** One reaction on a comment, with how many made it and whether the caller did. */
export type Reaction = ThreadJson['reactions'][number];

export type {
  PersonJson as Person,
  ShareJson as ShareState,
  PermissionJson as Permission,
} from '../../../src/http/routes/shares/contract';
export type { ActivityJson as Activity } from '../../../src/http/routes/activity/contract';

/** The contract says `permission: string` (the column is text); the server only ever writes a Permission. */
export type UserShare = With<UserShareJson, { permission: PermissionJson }>;

/** GET /api/shared/:token: a public audit, read-only; its status, stack and analysis as for Audit. */
export type SharedAudit = With<
  SharedAuditJson,
  {
    audit: With<SharedAuditJson['audit'], { status: AuditStatus; stackData: StackData }>;
    analysis: StoredAnalysis | null;
  }
>;

// ── Notifications ───────────────────────────────────────────────────────────

export type {
  NotificationJson as Notification,
  NotificationPageJson as NotificationPage,
  PreferencesJson as NotificationPreferences,
} from '../../../src/http/routes/me/contract';

// ── Team ────────────────────────────────────────────────────────────────────

export type {
  InviteJson as Invite,
  SentInviteJson as SentInvite,
  InviteInfoJson as InviteInfo,
} from '../../../src/http/routes/team/contract';

// ── Spend ───────────────────────────────────────────────────────────────────

export type {
  ToolCostJson as ToolCost,
  RatesJson as ExchangeRates,
  SpendSummary,
  StatementImport,
  ColumnMapping,
} from '../../../src/http/routes/spend/contract';

// ── Savings verified later ────────────────────────────────────────────────────

export type { AcceptanceJson as Acceptance, SavingsJson as Savings } from '../../../src/http/routes/savings/contract';

// ── Billing and integrations ────────────────────────────────────────────────

export type {
  BillingJson as BillingView,
  UrlResponseJson as StripeRedirect,
} from '../../../src/http/routes/billing/contract';

export type { IntegrationJson as Integration } from '../../../src/http/routes/integrations/contract';

/**
 * POST /api/integrations/:provider/connect: the provider's consent page for OAuth (200); an API
 * key connects at once (201, the connection, which the app reads again from the list instead).
 */
export type ConnectAnswer = Partial<ConsentUrlJson>;

// ── Renewals ──────────────────────────────────────────────────────────────────
export type {
  CalendarFeedJson as CalendarFeed,
  RenewalJson as Renewal,
  RenewalsJson as Renewals,
} from '../../../src/http/routes/renewals/contract';

// ── AI: the narrative of an audit and questions about it ──────────────────────
// Every figure in them is the engine's: a part whose `ref` is set was written in by the server.
export type {
  AiStatusJson as AiStatus,
  AnswerDeltaJson as AnswerDelta,
  AnswerDoneJson as AnswerDone,
  AnswerErrorJson as AnswerError,
  NarrativeJson as Narrative,
  PartJson as AiPart,
} from '../../../src/http/routes/ai/contract';

// ── Usage from identity providers ─────────────────────────────────────────────
export type { AppUsageJson as AppUsage } from '../../../src/http/routes/integrations/contract';
