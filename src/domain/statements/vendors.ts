/**
 * Which software vendor a card or bank descriptor names ("SLACK T0123ABC SAN FRANCISCO",
 * "GOOGLE *GSUITE", "ZOOM.US 888-799-9666", "PAYPAL *NOTION"), from the analysis catalog's
 * names and aliases. Descriptors start with the merchant, and payment processors put it
 * after a '*': so matches are looked for at the start of each '*'-separated part, longest
 * first, whole words only. A tool's own name beats a vendor's (GOOGLE *GSUITE is Google
 * Workspace, not just Google).
 */
import { CATALOG, normalizeToolName } from '../analysis/catalog.js';

export interface RecognisedVendor {
  toolName: string;
  vendor: string;
}

/** Merchant names on statements that are a vendor, not one of its tools. */
const VENDOR_DESCRIPTORS: Readonly<Record<string, RecognisedVendor>> = {
  atlassian: { toolName: 'Atlassian', vendor: 'Atlassian' },
  microsoft: { toolName: 'Microsoft', vendor: 'Microsoft' },
  msft: { toolName: 'Microsoft', vendor: 'Microsoft' },
  google: { toolName: 'Google', vendor: 'Google' },
  adobe: { toolName: 'Adobe', vendor: 'Adobe' },
  openai: { toolName: 'ChatGPT', vendor: 'OpenAI' },
  aws: { toolName: 'Amazon Web Services', vendor: 'Amazon' },
  github: { toolName: 'GitHub', vendor: 'Microsoft' },
};

/**
 * Tool names that are everyday words ("BOX LUNCH CAFE", "LINEAR ORDERS INC"): alone they
 * only count as the whole merchant name; "BOX.COM" or "LINEAR.APP" match through aliases.
 */
const EVERYDAY_WORDS = new Set([
  'teams',
  'goto',
  'loom',
  'gong',
  'chorus',
  'coda',
  'guru',
  'box',
  'monday',
  'linear',
  'teamwork',
  'shortcut',
  'height',
  'aha',
  'sketch',
  'framer',
  'lucid',
  'cursor',
  'render',
  'split',
  'segment',
  'close',
  'copper',
  'apollo',
  'front',
  'kit',
  'buffer',
  'mode',
  'heap',
  'bob',
  'remote',
  'sage',
  'bill',
  'keeper',
  'make',
  'tally',
  'gemini',
  'jasper',
  'lever',
  'ramp',
  'mural',
  'square',
  'harvest',
  'notion',
  'quip',
  'otter',
  'docker',
]);

const MIN_KEY_LENGTH = 3;
const MAX_WORDS = 4;

const TOOLS = new Map<string, RecognisedVendor>();
const toolsOfVendor = new Map<string, number>();
for (const entry of CATALOG) toolsOfVendor.set(entry.vendor, (toolsOfVendor.get(entry.vendor) ?? 0) + 1);
for (const entry of CATALOG) {
  // A vendor with one tool in the catalog bills under its own name too ("NOTION LABS, INC.").
  // Not Amazon: its shop bills as AMAZON too, and that is not Amazon Web Services.
  const vendorName = toolsOfVendor.get(entry.vendor) === 1 && entry.vendor !== 'Amazon' ? [entry.vendor] : [];
  for (const key of [entry.name, ...entry.aliases, ...vendorName]) {
    const normalized = normalizeToolName(key);
    if (normalized.length >= MIN_KEY_LENGTH && !TOOLS.has(normalized)) {
      TOOLS.set(normalized, { toolName: entry.name, vendor: entry.vendor });
    }
  }
}

/** The software a descriptor names, or null. */
export function recogniseVendor(descriptor: string): RecognisedVendor | null {
  let best: { match: RecognisedVendor; specific: boolean; length: number } | null = null;
  for (const part of descriptor.split('*')) {
    const words = part
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w !== '');
    for (let n = Math.min(MAX_WORDS, words.length); n >= 1; n--) {
      const key = words.slice(0, n).join('');
      if (key.length < MIN_KEY_LENGTH) continue;
      if (n === 1 && words.length > 1 && EVERYDAY_WORDS.has(key)) continue;
      const tool = TOOLS.get(key);
      const vendor = tool ? null : VENDOR_DESCRIPTORS[key];
      const match = tool ?? vendor;
      if (!match) continue;
      const candidate = { match, specific: tool !== undefined, length: key.length };
      if (
        !best ||
        (candidate.specific && !best.specific) ||
        (candidate.specific === best.specific && candidate.length > best.length)
      ) {
        best = candidate;
      }
      break; // the longest match of this part
    }
  }
  return best?.match ?? null;
}

/** A descriptor reduced to what stays the same across exports (case, spacing, punctuation). */
export const normalizeDescriptor = (descriptor: string): string =>
  descriptor
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * The merchant of a charge, for remembering what the organization decided about it: the
 * descriptor's first three words that hold no digit (reference numbers, dates and phone
 * numbers change from one charge to the next; the merchant's name does not), lower-cased.
 * 'ACME SAAS INC 4411-889 SAN FRANCISCO' → 'acme saas inc'. Empty when nothing is left.
 */
export function merchantKey(descriptor: string): string {
  return normalizeDescriptor(descriptor)
    .split(' ')
    .filter((word) => word !== '' && !/\d/.test(word))
    .slice(0, 3)
    .join(' ');
}

/** What an organization decided about a merchant (a vendor rule). */
export interface MerchantDecision {
  decision: string;
  toolName: string | null;
  vendor: string | null;
}

/**
 * A line waiting for review as the organization's decision about its merchant leaves it:
 * software (as the tool it named), not software, or still waiting where there is no decision.
 */
export function applyMerchantDecision<L extends { review?: string; toolName: string; vendor?: string | null }>(
  line: L,
  decision: MerchantDecision | undefined,
): L {
  if (line.review !== 'unreviewed' || !decision) return line;
  if (decision.decision === 'software' && decision.toolName) {
    return { ...line, review: 'software', toolName: decision.toolName, vendor: decision.vendor ?? decision.toolName };
  }
  return decision.decision === 'not_software' ? { ...line, review: 'not_software' } : line;
}
