/**
 * Reading the values people and banks put in CSV files: the rows themselves (csv-parse),
 * amounts written the way people write them, and dates in the common orders. Pure.
 */
import { parse } from 'csv-parse/sync';

import { isCalendarDay } from './days.js';

/** The records of a CSV text (each an array of trimmed cells), or why it cannot be read. */
export function readCsv(text: string): { records: string[][] } | { error: string } {
  try {
    const rows: unknown = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
    return { records: rows as string[][] }; // without `columns`, each record is an array of cells
  } catch (error) {
    return { error: `is not readable CSV: ${(error as Error).message}` };
  }
}

/** Lower-case letters only: "Transaction Date" and "transaction_date" meet. */
export const normalizeHeader = (header: string): string => header.toLowerCase().replace(/[^a-z]/g, '');

/**
 * "$1,234.50", "-23.45", "(12.00)", "1 234,50 €", "+5" → a signed amount; null when it is
 * not an amount. Parentheses mean negative, as accountants write it.
 */
export function parseSignedAmount(text: string): number | null {
  let value = text.trim().replace(/[$€£¥\s\u00a0]|usd|eur|gbp|chf/gi, '');
  if (value === '') return null;
  let sign = 1;
  const parenthesised = /^\((.*)\)$/.exec(value);
  if (parenthesised) {
    sign = -1;
    value = parenthesised[1]!;
  }
  if (value.startsWith('-') || value.startsWith('+')) {
    if (value.startsWith('-')) sign = -sign;
    value = value.slice(1);
  }
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(value) || /^\d+,\d{1,2}$/.test(value)) {
    value = value.replace(/\./g, '').replace(',', '.'); // 1.234,50 (European)
  } else {
    value = value.replace(/,/g, '');
  }
  if (!/^\d+(\.\d+)?$/.test(value)) return null;
  return (sign * Math.round(Number(value) * 100)) / 100;
}

/** A cost: a non-negative amount; null for anything else. */
export function parseAmount(text: string): number | null {
  const value = parseSignedAmount(text);
  return value === null || value < 0 || /^\s*\(/.test(text) ? null : value;
}

export type DateOrder = 'YMD' | 'MDY' | 'DMY';

/**
 * A calendar day 'YYYY-MM-DD' from '2025-02-20', '2025-02-20 08:15:30', '01/18/2026' (MDY)
 * or '20-02-2025' (DMY), in the given order for the ambiguous ones; null when not a real day.
 */
export function parseDay(text: string, order: DateOrder): string | null {
  const t = text.trim();
  let y: string, m: string, d: string;
  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(t);
  const other = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[T ][\d:.]+)?$/.exec(t);
  if (iso) [y, m, d] = [iso[1]!, iso[2]!, iso[3]!];
  else if (other) {
    y = other[3]!;
    [m, d] = order === 'DMY' ? [other[2]!, other[1]!] : [other[1]!, other[2]!];
  } else return null;
  const day = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return isCalendarDay(day) ? day : null;
}
