/**
 * Accounting records to tool cost lines, pure: QuickBooks Online Purchases, Bills and
 * VendorCredits, Xero SPEND bank transactions and ACCPAY invoices (ACCPAYCREDIT credit
 * notes). Spend is positive, refunds and credits negative. Each line carries the record's
 * own id as `metadata.externalId`, so a re-sync finds what it imported before. The tool is
 * the catalog's name where the vendor is recognised (a software line), else the vendor's own
 * name on a line that waits for review (`review: 'unreviewed'`, with its `merchantKey`).
 */
import { fromCents, toCents } from '../domain/money.js';
import type { NewToolCost } from '../repositories/tool-cost.repository.js';
import { merchantKey, recogniseVendor } from '../domain/statements/vendors.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);
/** Amounts arrive as numbers (QuickBooks, Xero's API) or decimal strings (Xero's docs). */
const amountOf = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};
const day = (v: unknown): string | null => {
  const s = str(v);
  return s && /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : null;
};

export interface MappedRecords {
  lines: NewToolCost[];
  /** Records left out (drafts, voided, not spend), with why: reported, not imported. */
  skipped: { externalId: string; reason: string }[];
}

function line(
  source: string,
  externalId: string,
  vendorName: string | null,
  fallbackName: string | null,
  cents: number,
  currency: string | null,
  date: string,
  extra: Record<string, unknown>,
): NewToolCost {
  const recognised = vendorName ? recogniseVendor(vendorName) : null;
  return {
    source,
    // As for statements: software when recognised, else it waits for someone to say what it is
    // (rent and restaurants are expenses too); the organization's vendor rules may decide it.
    review: recognised ? 'software' : 'unreviewed',
    toolName: (recognised?.toolName ?? vendorName ?? fallbackName ?? 'Unknown vendor').slice(0, 255),
    vendor: (recognised?.vendor ?? vendorName)?.slice(0, 255) ?? null,
    amount: fromCents(cents).toFixed(2),
    currency: currency ?? 'USD',
    billingPeriodStart: date,
    billingPeriodEnd: date,
    metadata: {
      externalId,
      recognized: recognised !== null,
      merchantKey: merchantKey(vendorName ?? fallbackName ?? ''),
      ...extra,
    },
  };
}

/** QuickBooks entities by type, as `select * from Purchase|Bill|VendorCredit` returns them. */
export function quickBooksLines(entities: {
  Purchase?: unknown[];
  Bill?: unknown[];
  VendorCredit?: unknown[];
}): MappedRecords {
  const lines: NewToolCost[] = [];
  const skipped: MappedRecords['skipped'] = [];
  const kinds = [
    ['Purchase', entities.Purchase],
    ['Bill', entities.Bill],
    ['VendorCredit', entities.VendorCredit],
  ] as const;
  for (const [kind, records] of kinds) {
    for (const record of list(records)) {
      const id = str(record.Id) ?? (typeof record.Id === 'number' ? String(record.Id) : '');
      const externalId = `${kind}:${id}`;
      const total = amountOf(record.TotalAmt);
      const date = day(record.TxnDate);
      if (!id || total === null || !date) {
        skipped.push({ externalId, reason: 'no id, total or date' });
        continue;
      }
      const vendorRef = obj(kind === 'Purchase' ? record.EntityRef : record.VendorRef);
      // Without a vendor (a card purchase not matched to one), the expense account names it.
      const firstAccount = str(obj(obj(obj(list(record.Line)[0]).AccountBasedExpenseLineDetail).AccountRef).name);
      // A Purchase with Credit: true is a refund; a VendorCredit is always one.
      const negative = kind === 'VendorCredit' || (kind === 'Purchase' && record.Credit === true);
      const cents = toCents(total) * (negative ? -1 : 1);
      lines.push(
        line(
          'quickbooks',
          externalId,
          str(vendorRef.name),
          firstAccount,
          cents,
          str(obj(record.CurrencyRef).value),
          date,
          {
            kind,
            ...(kind === 'Purchase' && str(record.PaymentType) ? { paymentType: str(record.PaymentType) } : {}),
            ...(day(record.DueDate) ? { dueDate: day(record.DueDate) } : {}),
          },
        ),
      );
    }
  }
  return { lines, skipped };
}

/** The day of a Xero record: its DateString, else its "/Date(1476316800000+0000)/". */
function xeroDay(record: Json): string | null {
  const fromString = day(record.DateString);
  if (fromString) return fromString;
  const match = /\/Date\((-?\d+)(?:[+-]\d{4})?\)\//.exec(str(record.Date) ?? '');
  return match ? new Date(Number(match[1])).toISOString().slice(0, 10) : day(record.Date);
}

const XERO_LIVE = new Set(['AUTHORISED', 'PAID']);

/** What a Xero record is to us: a line of this kind (negative for credits), or why it is skipped. */
type XeroKind = { kind: string; negative: boolean } | { skip: string };

function mapXero(
  records: unknown[],
  prefix: string,
  idField: string,
  classify: (record: Json) => XeroKind,
  out: MappedRecords,
): void {
  for (const record of list(records)) {
    const externalId = `${prefix}:${str(record[idField]) ?? ''}`;
    const kind = XERO_LIVE.has(String(record.Status)) ? classify(record) : { skip: `status ${String(record.Status)}` };
    const total = amountOf(record.Total);
    const date = xeroDay(record);
    if ('skip' in kind || total === null || !date) {
      out.skipped.push({ externalId, reason: 'skip' in kind ? kind.skip : 'no total or date' });
      continue;
    }
    const cents = toCents(total) * (kind.negative ? -1 : 1);
    out.lines.push(
      line('xero', externalId, str(obj(record.Contact).Name), null, cents, str(record.CurrencyCode), date, {
        kind: kind.kind,
        ...(str(record.Reference) ? { reference: str(record.Reference) } : {}),
        ...(str(record.InvoiceNumber) ? { invoiceNumber: str(record.InvoiceNumber) } : {}),
      }),
    );
  }
}

/** Xero BankTransactions (SPEND only), Invoices (ACCPAY, ACCPAYCREDIT) and CreditNotes (ACCPAYCREDIT). */
export function xeroLines(
  bankTransactions: unknown[],
  invoices: unknown[],
  creditNotes: unknown[] = [],
): MappedRecords {
  const out: MappedRecords = { lines: [], skipped: [] };
  const type = (record: Json) => (typeof record.Type === 'string' ? record.Type : 'unknown');
  mapXero(
    bankTransactions,
    'BankTransaction',
    'BankTransactionID',
    (r) => (type(r) === 'SPEND' ? { kind: 'BankTransaction', negative: false } : { skip: `type ${type(r)}` }),
    out,
  );
  mapXero(
    invoices,
    'Invoice',
    'InvoiceID',
    (r) =>
      type(r) === 'ACCPAY'
        ? { kind: 'Bill', negative: false }
        : type(r) === 'ACCPAYCREDIT'
          ? { kind: 'CreditNote', negative: true }
          : { skip: `type ${type(r)}` },
    out,
  );
  mapXero(
    creditNotes,
    'CreditNote',
    'CreditNoteID',
    (r) =>
      type(r) === 'ACCPAYCREDIT'
        ? { kind: 'CreditNote', negative: true }
        : { skip: `type ${type(r)} (not from a supplier)` },
    out,
  );
  return out;
}
