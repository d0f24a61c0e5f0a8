/**
 * The API client: JSON over fetch with the session cookie (same origin), and the contract's
 * error format turned into an ApiError whose `fieldErrors` map a form field to its message.
 */
export interface FieldProblem {
  field: string;
  message: string;
  row?: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
  }

  /** `body.stackData.tools.0.seats` → `stackData.tools.0.seats`: what forms name their fields. */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) {
      const key = d.field.replace(/^(body|querystring|params)\.?/, '');
      out[key] ??= d.message;
    }
    return out;
  }
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  return send<T>(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A CSV file's text posted as text/csv (tool lists, statements). */
export function postCsv<T>(path: string, csv: string): Promise<T> {
  return send<T>(path, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
}

async function send<T>(path: string, init: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, credentials: 'same-origin' });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(response.status, 'bad_response', `The server answered ${response.status} without JSON.`);
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'error',
      error?.message ?? `Request failed (${response.status}).`,
      Array.isArray(error?.details) ? (error.details as FieldProblem[]) : [],
    );
  }
  return json as T;
}

export interface User {
  id: string;
  email: string;
  name: string | null;
  role: 'admin' | 'member' | 'viewer';
  /** Null for an account that belongs to no organization (email not verified yet, or removed). */
  organizationId: string | null;
  /** Whether the user proved they read mail at `email`. */
  emailVerified: boolean;
  /** Signed up at a domain an organization claims: joins it once the email is verified. */
  domainJoinPending: boolean;
}

export interface Limits {
  auditsPerMonth: number | null;
  members: number | null;
}
export interface Usage {
  auditsThisMonth: number;
  members: number;
}

export interface Organization {
  id: string;
  name: string;
  plan: string;
  settings: {
    allowedDomains: string[];
    maxAuditsPerMonth: number | null;
    auditRetentionDays: number;
    baseCurrency: string;
  };
  limits: Limits;
  usage: Usage;
}

export interface Tool {
  name: string;
  vendor?: string;
  category?: string;
  monthlyCost?: number;
  seats?: number;
  activeSeats?: number;
  billingCycle?: 'monthly' | 'annual';
  contractEndDate?: string;
  noticePeriodDays?: number;
  owner?: string;
  /** Fields the editor does not show (pricingModel, tags, …) are kept as they were. */
  [other: string]: unknown;
}

export interface StackData {
  currency?: string;
  employeeCount?: number;
  tools: Tool[];
}

export interface Audit {
  id: string;
  name: string;
  status: 'pending' | 'analyzing' | 'completed' | 'failed';
  error?: string;
  createdAt: string | null;
  totalMonthlyCost: number | null;
  potentialMonthlySavings: number | null;
  toolCount: number | null;
  stackData?: StackData;
}

// The analysis as the engine makes it: one definition for the server and the app (types only;
// nothing of the engine's code reaches the bundle). Analyses stored by older versions may
// lack newer fields: pages read them defensively.
export type { Analysis, Recommendation } from '../../src/domain/analysis/engine';

export interface CatalogItem {
  name: string;
  vendor: string;
  category: string;
  typicalMonthlyPricePerSeat: number | null;
  priceTier: string | null;
}

export interface Notification {
  id: string;
  type: string;
  auditId: string | null;
  commentId: string | null;
  actor: { id: string; name: string | null } | null;
  text: string;
  readAt: string | null;
  createdAt: string;
}

export type { AuditDiff } from '../../src/domain/audit-diff';
export type { SpendSummary, StatementImport } from '../../src/domain/spend-views';
export type { ColumnMapping } from '../../src/domain/statements/layouts';

export const money = (amount: number | null | undefined, currency = 'USD') =>
  amount === null || amount === undefined
    ? '—'
    : new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);

/** A value of unknown type as text: strings as they are, objects as JSON, nothing as `empty`. */
export function valueText(value: unknown, empty = '—'): string {
  if (value === null || value === undefined) return empty;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A form field's text ('' or the fallback when absent; a file field is not text). */
export function formText(data: FormData, name: string, fallback = ''): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : fallback;
}
