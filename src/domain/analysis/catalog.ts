/**
 * The tool catalog: common SaaS tools with their vendor, category, aliases and the public
 * facts the analysis uses. The data lives in `catalog.json` (next to this file), not in code:
 * it is facts with their sources, edited as data and reviewed as data. This module gives it
 * its types, validates it when it is loaded (a broken file fails at start, naming the entry)
 * and indexes it.
 *
 * The rule of the data: a fact is recorded only where a public source was read, with the
 * source and the date it was read; anything not read is `null` (unknown), never a guess. The
 * analysis treats unknown as unknown: no price-based savings, no SSO/SOC 2 risk claimed.
 * Classification (vendor, category, overlaps) is editorial, not a price claim.
 */
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

import data from './catalog.json' with { type: 'json' };

const CATEGORIES = [
  'communication',
  'video_conferencing',
  'project_management',
  'documentation',
  'file_storage',
  'design',
  'whiteboard',
  'office_suite',
  'engineering',
  'code_hosting',
  'ci_cd',
  'monitoring',
  'error_tracking',
  'incident_management',
  'feature_flags',
  'crm',
  'sales',
  'customer_support',
  'marketing',
  'email_marketing',
  'social_media',
  'seo',
  'website',
  'analytics',
  'business_intelligence',
  'hr',
  'payroll',
  'finance',
  'accounting',
  'expenses',
  'e_signature',
  'security',
  'password_management',
  'identity',
  'device_management',
  'scheduling',
  'forms',
  'video_messaging',
  'ai_assistant',
  'meeting_notes',
  'product_management',
  'cloud',
  'data',
  'automation',
  'learning',
  'productivity',
] as const;

export type Category = (typeof CATEGORIES)[number];

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Text = Type.String({ minLength: 1 });
/** USD per seat per month: a list price is never 0 or negative (a free tier is not listed). */
const Usd = Type.Union([Type.Number({ exclusiveMinimum: 0 }), Type.Null()]);
const Known = Type.Union([Type.Boolean(), Type.Null()]);
const OrNull = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** One paid plan of a vendor's price list, in USD per seat per month. */
const TierSchema = Type.Object(
  {
    name: Text,
    /** Billed monthly; null where the vendor sells this plan annually only, or it is unknown. */
    monthly: Usd,
    /** Billed annually, per month; null where unknown. */
    annualMonthly: Usd,
    /** Single sign-on included on this plan (SAML, or OpenID Connect where the vendor offers that; the source says): true/false where the source says, null unknown. */
    sso: Known,
  },
  { additionalProperties: false },
);

const EntrySchema = Type.Object(
  {
    name: Text,
    vendor: Text,
    category: Type.Enum(CATEGORIES),
    aliases: Type.Array(Text),
    /**
     * The domains the product is served from (`slack.com`), which identity providers show in
     * an app's sign-in or home URL: apps are matched to tools by them. Only domains no other
     * tool shares; empty where unsure.
     */
    domains: Type.Array(Type.String({ pattern: '^[a-z0-9-]+(\\.[a-z0-9-]+)+$' })),
    /**
     * How the vendor charges: by the seat, a flat fee, or by usage; null unknown. Only a
     * per-seat price list has `tiers` a team's unit price can be recognised by.
     */
    pricingModel: OrNull(Type.Enum(['per_seat', 'flat', 'usage'])),
    price: OrNull(
      Type.Object(
        {
          /** The plan a team typically buys: its prices are the entry's `price.monthly`/`annualMonthly`. */
          typicalTier: Text,
          /** The paid per-seat plans the source lists, cheapest first. */
          tiers: Type.Array(TierSchema, { minItems: 1 }),
          /** The vendor's page, and where it was read from when not read directly. */
          source: Text,
          /** When the source read the vendor's page. */
          checkedOn: Day,
        },
        { additionalProperties: false },
      ),
    ),
    /** SSO/SAML offered at all: true/false where read, null unknown; with the plan that includes it. */
    sso: Type.Object({ available: Known, tier: OrNull(Text), source: OrNull(Text) }, { additionalProperties: false }),
    /** The attestations the vendor publishes (its trust or security page): true/false where read, null unknown. */
    attestations: Type.Object(
      { soc2Type2: Known, iso27001: Known, source: OrNull(Text), checkedOn: OrNull(Day) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const CatalogFileSchema = Type.Object(
  {
    tools: Type.Array(EntrySchema),
    /**
     * Tools that do the same job, beyond sharing a category: a stack with two of a group pays
     * twice for one need. Names are catalog names.
     */
    overlapGroups: Type.Array(
      Type.Object({ need: Text, tools: Type.Array(Text, { minItems: 2 }) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);

/** An entry as `catalog.json` holds it (exported for the test that checks the file). */
export type CatalogFileEntry = Static<typeof EntrySchema>;

export type TierFact = Static<typeof TierSchema>;

export interface PriceFact {
  /** List price per seat per month when billed monthly, in USD (of the typical tier). */
  monthly: number | null;
  /** Per seat per month when billed annually, in USD (of the typical tier). */
  annualMonthly: number | null;
  /** The tier these prices belong to (the typical tier a team buys). */
  tier: string;
  source: string;
  /** When the source read the vendor's page. */
  checkedOn: string;
  /** The vendor's paid per-seat tiers, cheapest first. */
  tiers: readonly TierFact[];
}

export interface CatalogEntry {
  name: string;
  vendor: string;
  category: Category;
  aliases: readonly string[];
  domains: readonly string[];
  pricingModel: CatalogFileEntry['pricingModel'];
  price: PriceFact | null;
  /** SSO/SAML offered: true/false where checked, null unknown; with the tier that includes it. */
  sso: CatalogFileEntry['sso'];
  attestations: CatalogFileEntry['attestations'];
  /** The vendor publishes a SOC 2 Type II report: `attestations.soc2Type2`, kept for the API's `soc2`. */
  soc2: boolean | null;
}

/**
 * What the schema cannot say about one entry: a fact without its source and date, a typical
 * tier that is not in the ladder. Empty when the entry is sound.
 */
export function entryProblems(entry: CatalogFileEntry): string[] {
  const problems: string[] = [];
  if (entry.price && !entry.price.tiers.some((t) => t.name === entry.price!.typicalTier))
    problems.push(`typical tier ${entry.price.typicalTier} is not in its tiers`);
  if (entry.sso.available !== null && !entry.sso.source) problems.push('SSO is given without a source');
  const { soc2Type2, iso27001, source, checkedOn } = entry.attestations;
  if ((soc2Type2 !== null || iso27001 !== null) && (!source || !checkedOn))
    problems.push('attestations are given without a source and date');
  return problems;
}

/** The file, checked: a broken catalog stops the server at start rather than mislead an analysis. */
function load(file: unknown): Static<typeof CatalogFileSchema> {
  if (!Value.Check(CatalogFileSchema, file)) {
    const errors = [...Value.Errors(CatalogFileSchema, file)].slice(0, 5);
    throw new Error(
      `catalog.json does not match its schema: ${errors.map((e) => `${e.instancePath} ${e.message}`).join('; ')}`,
    );
  }
  for (const entry of file.tools) {
    const problems = entryProblems(entry);
    if (problems.length) throw new Error(`catalog.json, ${entry.name}: ${problems.join('; ')}`);
  }
  return file;
}

const file = load(data);

function toEntry(e: CatalogFileEntry): CatalogEntry {
  let price: PriceFact | null = null;
  if (e.price) {
    const typical = e.price.tiers.find((t) => t.name === e.price!.typicalTier)!;
    price = {
      monthly: typical.monthly,
      annualMonthly: typical.annualMonthly,
      tier: typical.name,
      source: e.price.source,
      checkedOn: e.price.checkedOn,
      tiers: e.price.tiers,
    };
  }
  return { ...e, price, soc2: e.attestations.soc2Type2 };
}

export const CATALOG: readonly CatalogEntry[] = Object.freeze(file.tools.map(toEntry));

export const OVERLAP_GROUPS: readonly { need: string; tools: readonly string[] }[] = Object.freeze(file.overlapGroups);

/** Lower-case letters and digits only: "Monday.com", "monday com" and "MONDAY" meet. */
export const normalizeToolName = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '');

const INDEX = new Map<string, CatalogEntry>();
for (const entry of CATALOG) {
  for (const key of [entry.name, ...entry.aliases]) {
    const normalized = normalizeToolName(key);
    if (!INDEX.has(normalized)) INDEX.set(normalized, entry);
  }
}

/** The catalog entry of a tool name or alias, or null for a tool we do not know. */
export function findInCatalog(name: string): CatalogEntry | null {
  return INDEX.get(normalizeToolName(name)) ?? null;
}

const BY_DOMAIN = new Map<string, CatalogEntry>();
for (const entry of CATALOG) for (const domain of entry.domains) BY_DOMAIN.set(domain, entry);

/** The catalog entry a host belongs to (`acme.slack.com` → Slack), or null. */
export function findByHost(host: string): CatalogEntry | null {
  const labels = host.toLowerCase().replace(/\.$/, '').split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const entry = BY_DOMAIN.get(labels.slice(i).join('.'));
    if (entry) return entry;
  }
  return null;
}

/** Catalog entries whose name, alias, vendor or category contains the query (autocomplete). */
export function searchCatalog(query: string, limit = 20): CatalogEntry[] {
  const q = normalizeToolName(query);
  if (!q) return CATALOG.slice(0, limit);
  const scored: { entry: CatalogEntry; score: number }[] = [];
  for (const entry of CATALOG) {
    const name = normalizeToolName(entry.name);
    const score = name.startsWith(q)
      ? 0
      : entry.aliases.some((a) => normalizeToolName(a).startsWith(q))
        ? 1
        : name.includes(q)
          ? 2
          : normalizeToolName(entry.vendor).includes(q) || entry.category.includes(query.toLowerCase())
            ? 3
            : -1;
    if (score >= 0) scored.push({ entry, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.entry.name.localeCompare(b.entry.name))
    .slice(0, limit)
    .map((s) => s.entry);
}

/** A tool as the books and audits both name it: the catalog's name where it knows it, lower-cased. */
export const toolKey = (name: string): string => (findInCatalog(name)?.name ?? name).trim().toLowerCase();
