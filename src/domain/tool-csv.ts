/**
 * A tool list from a spreadsheet (CSV): tolerant header matching and amounts written the
 * way people write them ($1,234.50). Pure: the text in, tools or per-row problems out.
 */
import type { Tool } from './analysis/stack.js';
import { normalizeHeader, parseAmount, parseDay, readCsv } from './csv-values.js';

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

export function parseToolCsv(text: string): { tools: Tool[]; problems: RowProblem[] } {
  const read = readCsv(text);
  if ('error' in read) return { tools: [], problems: [{ row: 0, field: 'csv', message: read.error }] };
  const records = read.records;
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
      const date = parseDay(cell('renewalDate'), 'MDY'); // 9/1/2025: month first, as US spreadsheets write it
      if (date === null) {
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
