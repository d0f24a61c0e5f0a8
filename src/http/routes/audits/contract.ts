/** The audits' contract: request and answer schemas of /api/audits…, and their types (the web app and the tests import them). */
import { Type, type Static } from 'typebox';
import { Id, NullableTimestamp, Nullable } from '../../schemas.js';

export const Status = Type.Union([
  Type.Literal('pending'),
  Type.Literal('analyzing'),
  Type.Literal('completed'),
  Type.Literal('failed'),
]);

export const AuditFields = {
  id: Type.String(),
  organizationId: Nullable(Type.String()),
  userId: Nullable(Type.String()),
  name: Type.String(),
  status: Type.String(),
  error: Type.Optional(Type.String()),
  createdAt: NullableTimestamp,
  updatedAt: NullableTimestamp,
  completedAt: NullableTimestamp,
};

export const AuditSchema = Type.Object({ ...AuditFields, stackData: Type.Unknown() });

export const AuditListItemSchema = Type.Object({
  ...AuditFields,
  toolCount: Nullable(Type.Integer()),
  totalMonthlyCost: Nullable(Type.Number()),
  potentialMonthlySavings: Nullable(Type.Number()),
});

/** GET /api/audits's answer (exported: its test validates the answer PostgreSQL writes against it). */
export const AuditListSchema = Type.Object({
  items: Type.Array(AuditListItemSchema),
  nextCursor: Nullable(Type.String()),
});

// An analysis is returned as stored: one made by an older version may lack newer fields.
export const AnalysisSchema = Type.Object({
  id: Type.String(),
  auditId: Nullable(Type.String()),
  summary: Type.Unknown(),
  recommendations: Type.Unknown(),
  costAnalysis: Type.Unknown(),
  riskAssessment: Type.Unknown(),
  createdAt: NullableTimestamp,
});

/** GET /api/audits/:id's answer (exported: PostgreSQL writes it, no serialiser, so its tests validate it against this). */
export const AuditDetailSchema = Type.Object({
  audit: AuditSchema,
  analysis: Nullable(AnalysisSchema),
  access: Type.Union([Type.Literal('view'), Type.Literal('comment'), Type.Literal('edit'), Type.Literal('manage')], {
    description: "the caller's level on this audit: what a client may offer them",
  }),
});

/** A tool of the catalog (GET /api/catalog), for autocomplete; unknown facts are null. */
export const CatalogItemSchema = Type.Object({
  name: Type.String(),
  vendor: Type.String(),
  category: Type.String(),
  typicalMonthlyPricePerSeat: Nullable(Type.Number(), {
    description: 'USD a seat a month billed monthly (else billed annually where only that is known)',
  }),
  annualMonthlyPricePerSeat: Nullable(Type.Number(), {
    description: 'USD a seat a month billed annually',
  }),
  priceTier: Nullable(Type.String()),
  priceSource: Nullable(Type.String()),
  priceCheckedOn: Nullable(Type.String()),
  tiers: Type.Array(
    Type.Object({
      name: Type.String(),
      monthly: Nullable(Type.Number()),
      annualMonthly: Nullable(Type.Number()),
      sso: Nullable(Type.Boolean()),
    }),
  ),
  sso: Nullable(Type.Boolean()),
  ssoTier: Nullable(Type.String()),
  soc2: Nullable(Type.Boolean(), { description: 'the vendor publishes a SOC 2 Type II report' }),
  iso27001: Nullable(Type.Boolean(), { description: 'the vendor publishes an ISO/IEC 27001 certification' }),
  attestationsSource: Nullable(Type.String()),
  attestationsCheckedOn: Nullable(Type.String()),
  pricingModel: Nullable(Type.Union([Type.Literal('per_seat'), Type.Literal('flat'), Type.Literal('usage')])),
});

export type CatalogItemJson = Static<typeof CatalogItemSchema>;

export const AuditParams = Type.Object({ id: Id });

export const AuditName = Type.String({ minLength: 1, maxLength: 255, pattern: '\\S' });

export type AuditJson = Static<typeof AuditSchema>;
export type AuditListItemJson = Static<typeof AuditListItemSchema>;
export type AnalysisJson = Static<typeof AnalysisSchema>;
export type AuditDetailJson = Static<typeof AuditDetailSchema>;

// The analysis and the diff are made by the domain; their shapes are the contract's too.
export type { Analysis, Recommendation } from '../../../domain/analysis/engine.js';
export type { AuditDiff } from '../../../domain/audit-diff.js';
// So is the stack (stackData): every write validates it with StackDataSchema.
export type { StackData, Tool } from '../../../domain/analysis/stack.js';
