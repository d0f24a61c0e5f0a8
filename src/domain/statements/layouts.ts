/**
 * Card and bank statement exports (CSV): the layouts of the banks we know, recognised by
 * their header row, and a generic date/description/amount layout for the rest, which a
 * column mapping can always override. Pure: the text in, signed movements out.
 *
 * Each movement's `spendCents` is positive for money going out (a charge) and negative for
 * money coming in (a refund, a deposit): banks disagree on the sign, the layout knows.
 */
import { normalizeHeader, parseDay, parseSignedAmount, readCsv, type DateOrder } from '../csv-values.js';

export interface Movement {
  /** 1-based row number as a spreadsheet shows it (the header is row 1). */
  row: number;
  date: string;
  description: string;
  spendCents: number;
  /** The row's own currency, where the export has one. */
  currency: string | null;
}

export interface StatementProblem {
  row: number;
  field: string;
  message: string;
}

/** How to read an export whose layout is not recognised (or to override the one that is). */
export interface ColumnMapping {
  date?: string;
  description?: string;
  amount?: string;
  /** Separate money-out and money-in columns, instead of one signed amount. */
  debit?: string;
  credit?: string;
  currency?: string;
  dateOrder?: DateOrder;
  /** Which sign a charge has in `amount`: banks write it negative, card issuers often positive. */
  spend?: 'negative' | 'positive';
}

interface Layout {
  id: string;
  /** Normalised headers that identify it (all present). */
  headers: string[];
  /** Exactly these headers and no others (for short, generic-looking exports). */
  exact?: boolean;
  date: string[];
  dateOrder: DateOrder | 'detect';
  description: string[];
  amount?: string;
  debit?: string;
  credit?: string;
  currency?: string;
  spend: 'negative' | 'positive';
  /**
   * The header alone does not say which sign a charge has (three columns Date, Description,
   * Amount are American Express's short export and many banks' too): read it from the rows —
   * more negative amounts than positive is an account's statement (money out negative), else a
   * card's (charges positive); `spend` where they are as many.
   */
  detectSpend?: boolean;
  /** Rows that are not movements of money (pending, a card payment, …) are skipped. */
  skip?: (cell: (header: string) => string) => string | null;
  /** Added to the spend of an outgoing row (Revolut's fee column). */
  fee?: string;
}

const LAYOUTS: readonly Layout[] = [
  {
    id: 'chase_card',
    headers: ['transactiondate', 'postdate', 'description', 'category', 'type', 'amount'],
    date: ['transactiondate'],
    dateOrder: 'MDY',
    description: ['description'],
    amount: 'amount',
    spend: 'negative',
    skip: (cell) => (cell('type').toLowerCase() === 'payment' ? 'a card payment' : null),
  },
  {
    id: 'chase_checking',
    headers: ['details', 'postingdate', 'description', 'amount', 'type', 'balance'],
    date: ['postingdate'],
    dateOrder: 'MDY',
    description: ['description'],
    amount: 'amount',
    spend: 'negative',
  },
  {
    id: 'revolut',
    headers: ['type', 'product', 'starteddate', 'completeddate', 'description', 'amount', 'fee', 'currency', 'state'],
    date: ['completeddate', 'starteddate'],
    dateOrder: 'YMD',
    description: ['description'],
    amount: 'amount',
    fee: 'fee',
    currency: 'currency',
    spend: 'negative',
    skip: (cell) => (cell('state').toUpperCase() === 'COMPLETED' ? null : `state ${cell('state') || 'unknown'}`),
  },
  {
    id: 'wise',
    headers: ['transferwiseid', 'date', 'amount', 'currency', 'description'],
    date: ['date'],
    dateOrder: 'DMY',
    description: ['merchant', 'description'],
    amount: 'amount',
    currency: 'currency',
    spend: 'negative',
  },
  {
    id: 'schwab',
    headers: ['date', 'status', 'type', 'description', 'withdrawal', 'deposit'],
    date: ['date'],
    dateOrder: 'MDY',
    description: ['description'],
    debit: 'withdrawal',
    credit: 'deposit',
    spend: 'positive',
    skip: (cell) => (cell('status').toLowerCase() === 'pending' ? 'pending' : null),
  },
  {
    // American Express's short export: charges are positive, credits negative. Banks export the
    // same three columns with money out negative: the rows say which (detectSpend).
    id: 'amex',
    headers: ['date', 'description', 'amount'],
    exact: true,
    date: ['date'],
    dateOrder: 'MDY',
    description: ['description'],
    amount: 'amount',
    spend: 'positive',
    detectSpend: true,
  },
];

const GENERIC = {
  date: ['date', 'transactiondate', 'posteddate', 'postingdate', 'bookingdate', 'valuedate', 'completeddate'],
  description: ['description', 'merchant', 'payee', 'details', 'name', 'narrative', 'reference', 'memo'],
  amount: ['amount', 'value', 'transactionamount'],
  debit: ['debit', 'withdrawal', 'withdrawals', 'moneyout', 'paidout', 'out'],
  credit: ['credit', 'deposit', 'deposits', 'moneyin', 'paidin', 'in'],
  currency: ['currency', 'ccy'],
};

export interface ParsedStatement {
  layout: string;
  movements: Movement[];
  /** Rows that are not money moving (pending, card payments), with why. */
  skipped: { row: number; reason: string }[];
  problems: StatementProblem[];
}

export function parseStatement(text: string, mapping?: ColumnMapping): ParsedStatement {
  const empty = (layout: string, problems: StatementProblem[]): ParsedStatement => ({
    layout,
    movements: [],
    skipped: [],
    problems,
  });
  const read = readCsv(text);
  if ('error' in read) return empty('unknown', [{ row: 0, field: 'csv', message: read.error }]);
  const [header, ...rows] = read.records;
  if (!header || rows.length === 0) return empty('unknown', [{ row: 0, field: 'csv', message: 'has no rows' }]);
  const normalized = header.map(normalizeHeader);
  const index = (name: string): number => normalized.indexOf(normalizeHeader(name));
  const layout = mapping ? mappedLayout(mapping, header, normalized) : recognise(normalized);
  if ('problem' in layout) return empty('unknown', [layout.problem]);

  const movements: Movement[] = [];
  const skipped: { row: number; reason: string }[] = [];
  const problems: StatementProblem[] = [];
  const first = (names: string[]) => names.map(index).find((i) => i >= 0) ?? -1;
  const dateColumn = first(layout.date);
  const descriptionColumns = layout.description.map(index).filter((i) => i >= 0);
  const dateOrder =
    layout.dateOrder === 'detect' ? detectDateOrder(rows.map((r) => r[dateColumn] ?? '')) : layout.dateOrder;
  const spendSign =
    layout.detectSpend && layout.amount
      ? detectSpendSign(
          rows.map((r) => r[index(layout.amount!)] ?? ''),
          layout.spend,
        )
      : layout.spend;

  rows.forEach((cells, i) => {
    const row = i + 2;
    const cell = (name: string) => (index(name) >= 0 ? (cells[index(name)] ?? '').trim() : '');
    if (cells.every((c) => c.trim() === '')) return;
    const why = layout.skip?.(cell);
    if (why) {
      skipped.push({ row, reason: why });
      return;
    }
    const date = parseDay(cells[dateColumn] ?? '', dateOrder);
    if (date === null)
      problems.push({
        row,
        field: header[dateColumn] ?? 'date',
        message: `"${cells[dateColumn] ?? ''}" is not a date`,
      });
    const description = descriptionColumns.map((c) => (cells[c] ?? '').trim()).find((d) => d !== '') ?? '';
    let spend: number | null = null;
    if (layout.amount) {
      const amount = parseSignedAmount(cell(layout.amount));
      if (amount === null) {
        problems.push({
          row,
          field: header[index(layout.amount)] ?? 'amount',
          message: `"${cell(layout.amount)}" is not an amount`,
        });
      } else spend = spendSign === 'negative' ? -amount : amount;
    } else {
      const out = cell(layout.debit ?? '');
      const inn = cell(layout.credit ?? '');
      const debit = out ? parseSignedAmount(out) : 0;
      const credit = inn ? parseSignedAmount(inn) : 0;
      if (debit === null || credit === null || (!out && !inn)) {
        problems.push({ row, field: 'amount', message: `neither "${out}" nor "${inn}" is an amount` });
      } else spend = Math.abs(debit) - Math.abs(credit);
    }
    if (spend !== null && layout.fee && spend > 0) {
      const fee = parseSignedAmount(cell(layout.fee));
      if (fee !== null) spend += Math.abs(fee);
    }
    if (date === null || spend === null) return;
    const currency = layout.currency ? cell(layout.currency).toUpperCase() : '';
    if (currency && !/^[A-Z]{3}$/.test(currency)) {
      problems.push({ row, field: 'currency', message: `"${currency}" is not an ISO 4217 code` });
      return;
    }
    movements.push({ row, date, description, spendCents: Math.round(spend * 100), currency: currency || null });
  });
  // The short three-column export read as an account's (money out negative) is not Amex's.
  const id = layout.id === 'amex' && spendSign === 'negative' ? 'generic' : layout.id;
  return { layout: id, movements, skipped, problems };
}

/** Which sign the charges of a one-amount column have, by the rows' majority (detectSpend). */
function detectSpendSign(cells: string[], otherwise: 'negative' | 'positive'): 'negative' | 'positive' {
  let negative = 0;
  let positive = 0;
  for (const cell of cells) {
    const amount = parseSignedAmount(cell.trim());
    if (amount === null || amount === 0) continue;
    if (amount < 0) negative += 1;
    else positive += 1;
  }
  return negative === positive ? otherwise : negative > positive ? 'negative' : 'positive';
}

function recognise(normalized: string[]): Layout | { problem: StatementProblem } {
  const present = new Set(normalized);
  for (const layout of LAYOUTS) {
    if (!layout.headers.every((h) => present.has(h))) continue;
    if (layout.exact && normalized.filter((h) => h !== '').length !== layout.headers.length) continue;
    return layout;
  }
  const pick = (names: string[]) => names.find((n) => present.has(n));
  const date = pick(GENERIC.date);
  const description = pick(GENERIC.description);
  const amount = pick(GENERIC.amount);
  const debit = pick(GENERIC.debit);
  const credit = pick(GENERIC.credit);
  if (!date || !description || (!amount && !(debit && credit))) {
    return {
      problem: {
        row: 1,
        field: 'header',
        message:
          'is not a layout we recognise: it needs a date, a description and an amount column (or money-out and money-in columns); pass ?mapping= to name them',
      },
    };
  }
  return {
    id: 'generic',
    headers: [],
    date: [date],
    dateOrder: 'detect',
    description: [description],
    ...(amount ? { amount } : { debit, credit }),
    currency: pick(GENERIC.currency),
    spend: amount ? 'negative' : 'positive',
    detectSpend: Boolean(amount),
  };
}

function mappedLayout(
  mapping: ColumnMapping,
  header: string[],
  normalized: string[],
): Layout | { problem: StatementProblem } {
  const missing = (['date', 'description', 'amount', 'debit', 'credit', 'currency'] as const).filter((key) => {
    const column = mapping[key];
    return column !== undefined && !normalized.includes(normalizeHeader(column));
  });
  if (missing.length) {
    return {
      problem: {
        row: 1,
        field: 'mapping',
        message: `names columns the file does not have: ${missing.map((k) => `${k}="${mapping[k]}"`).join(', ')} (it has ${header.join(', ')})`,
      },
    };
  }
  const base = recognise(normalized);
  const known = 'problem' in base ? null : base;
  const date = mapping.date ?? known?.date[0];
  const description = mapping.description ?? known?.description[0];
  const amount = mapping.amount ?? (mapping.debit ? undefined : known?.amount);
  const debit = mapping.debit ?? (mapping.amount ? undefined : known?.debit);
  const credit = mapping.credit ?? (mapping.amount ? undefined : known?.credit);
  if (!date || !description || (!amount && !debit)) {
    return {
      problem: {
        row: 1,
        field: 'mapping',
        message: 'must name the date, description and amount (or debit) columns',
      },
    };
  }
  return {
    id: known ? `${known.id}+mapping` : 'mapping',
    headers: [],
    date: [date],
    dateOrder: mapping.dateOrder ?? known?.dateOrder ?? 'detect',
    description: [description],
    ...(amount ? { amount } : { debit, credit }),
    currency: mapping.currency ?? known?.currency,
    spend: mapping.spend ?? (amount ? (known?.amount ? known.spend : 'negative') : 'positive'),
    // A sign the mapping does not give is read from the rows, as for the layout it maps.
    detectSpend: mapping.spend === undefined && Boolean(amount) && (known ? known.detectSpend === true : true),
    skip: known?.skip,
  };
}

/** Day first or month first: a first part above 12 settles it; else '/' is month first (US), '-' and '.' day first. */
function detectDateOrder(values: string[]): DateOrder {
  let dayFirst = false;
  let monthFirst = false;
  let slash = false;
  for (const v of values) {
    const m = /^(\d{1,2})([-/.])(\d{1,2})[-/.]\d{4}/.exec(v.trim());
    if (!m) continue;
    if (Number(m[1]) > 12) dayFirst = true;
    if (Number(m[3]) > 12) monthFirst = true;
    if (m[2] === '/') slash = true;
  }
  if (dayFirst && !monthFirst) return 'DMY';
  if (monthFirst && !dayFirst) return 'MDY';
  return slash ? 'MDY' : 'DMY';
}
