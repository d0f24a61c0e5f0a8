/**
 * A tool list from a spreadsheet (CSV): tolerant header matching and amounts written the
 * way people write them ($1,234.50). Pure: the text in, tools or per-row problems out.
 */
import { parse } from 'csv-parse/sync';

import type { Tool } from './analysis/stack.js';

export interface RowProblem {
  row: number;
  field: string;
  message: string;
}

type Field =
  | 'name'
  | 'vendor'
  | 'category'
  | 'monthlyCost'
  | 'seats'
  | 'activeSeats'
  | 'renewalDate'
  | 'owner'
  | 'billingCycle'
  | 'notes';

// Header spellings people use, normalised to lower-case letters only.
const HEADERS: Record<Field, string[]> = {
  name: ['name', 'tool', 'toolname', 'app', 'application', 'software', 'product', 'service'],
  vendor: ['vendor', 'supplier', 'provider', 'company'],
  category: ['category', 'type', 'group'],
  monthlyCost: [
    'monthlycost',
    'cost',
    'price',
    'monthlyprice',
    'costpermonth',
    'monthlyspend',
    'spend',
    'amount',
    'mrc',
  ],
  seats: ['seats', 'licenses', 'licences', 'licensecount', 'users', 'totalseats', 'paidseats'],
  activeSeats: ['activeseats', 'usedseats', 'active', 'activeusers', 'used', 'inuse'],
  renewalDate: ['renewal', 'renewaldate', 'renews', 'renewson', 'contractend', 'enddate'],
  owner: ['owner', 'contact', 'admin', 'responsible'],
  billingCycle: ['billingcycle', 'billing', 'cycle', 'billingfrequency'],
  notes: ['notes', 'comment', 'comments', 'description'],
};

const normalizeHeader = (header: string): string => header.toLowerCase().replace(/[^a-z]/g, '');

/** "$1,234.50", "1 234,50 €", "(12.00)" → a number; null when it is not an amount. */
export function parseAmount(text: string): number | null {
  let value = text.trim().replace(/[$€£¥\s]|usd|eur|gbp/gi, '');
  if (value === '') return null;
  if (/^\(.*\)$/.test(value)) return null; // a negative amount is not a cost
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(value) || /^\d+,\d{1,2}$/.test(value)) {
    value = value.replace(/\./g, '').replace(',', '.'); // 1.234,50 (European)
  } else {
    value = value.replace(/,/g, '');
  }
  if (!/^\d+(\.\d+)?$/.test(value)) return null;
  return Math.round(Number(value) * 100) / 100;
}

function parseDate(text: string): string | null {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return t;
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t); // 9/1/2025 (month first)
  if (us) return `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}`;
  return null;
}

export function parseToolCsv(text: string): { tools: Tool[]; problems: RowProblem[] } {
  let records: string[][];
  try {
    const rows: unknown = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
    records = rows as string[][]; // without `columns`, each record is an array of cells
  } catch (error) {
    return {
      tools: [],
      problems: [{ row: 0, field: 'csv', message: `is not readable CSV: ${(error as Error).message}` }],
    };
  }
  const [header, ...rows] = records;
  if (!header) return { tools: [], problems: [{ row: 0, field: 'csv', message: 'is empty' }] };
  const columns = new Map<Field, number>();
  header.forEach((h, i) => {
    const key = normalizeHeader(h);
    for (const [field, names] of Object.entries(HEADERS) as [Field, string[]][]) {
      if (!columns.has(field) && names.includes(key)) columns.set(field, i);
    }
  });
  if (!columns.has('name')) {
    return {
      tools: [],
      problems: [{ row: 1, field: 'name', message: 'no column for the tool name (Name, Tool or App)' }],
    };
  }
  const tools: Tool[] = [];
  const problems: RowProblem[] = [];
  rows.forEach((cells, i) => {
    const row = i + 2; // 1-based, after the header: the row number a spreadsheet shows
    const cell = (field: Field) => {
      const index = columns.get(field);
      return index === undefined ? '' : (cells[index] ?? '').trim();
    };
    const tool: Tool = { name: cell('name') };
    if (!tool.name) problems.push({ row, field: 'name', message: 'is empty' });
    if (tool.name.length > 255) problems.push({ row, field: 'name', message: 'is longer than 255 characters' });
    for (const field of ['vendor', 'category', 'owner', 'notes'] as const) if (cell(field)) tool[field] = cell(field);
    if (cell('monthlyCost')) {
      const amount = parseAmount(cell('monthlyCost'));
      if (amount === null)
        problems.push({ row, field: 'monthlyCost', message: `"${cell('monthlyCost')}" is not an amount` });
      else tool.monthlyCost = amount;
    }
    for (const field of ['seats', 'activeSeats'] as const) {
      const value = cell(field).replace(/,/g, '');
      if (!value) continue;
      if (!/^\d+$/.test(value)) problems.push({ row, field, message: `"${cell(field)}" is not a whole number` });
      else tool[field] = Number(value);
    }
    if (tool.seats !== undefined && tool.activeSeats !== undefined && tool.activeSeats > tool.seats) {
      problems.push({ row, field: 'activeSeats', message: `is more than seats (${tool.seats})` });
    }
    if (cell('renewalDate')) {
      const date = parseDate(cell('renewalDate'));
      if (date === null || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
        problems.push({
          row,
          field: 'renewalDate',
          message: `"${cell('renewalDate')}" is not a date (use YYYY-MM-DD)`,
        });
      } else tool.renewalDate = date;
    }
    const cycle = cell('billingCycle').toLowerCase();
    if (cycle) {
      if (['monthly', 'month', 'm'].includes(cycle)) tool.billingCycle = 'monthly';
      else if (['annual', 'annually', 'yearly', 'year', 'y'].includes(cycle)) tool.billingCycle = 'annual';
      else problems.push({ row, field: 'billingCycle', message: `"${cell('billingCycle')}" is not monthly or annual` });
    }
    tools.push(tool);
  });
  if (rows.length === 0) problems.push({ row: 2, field: 'csv', message: 'has a header but no tools' });
  return { tools, problems };
}
