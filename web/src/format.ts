/** Text for the screen (amounts, values of unknown type) and text out of forms. */
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

const IDENTITY_PROVIDERS: Record<string, string> = {
  google: 'Google Workspace',
  microsoft: 'Microsoft 365',
  okta: 'Okta',
};

/** An identity provider's name as people know it (usage's `provider`). */
export const identityProviderName = (provider: string) => IDENTITY_PROVIDERS[provider] ?? provider;

/** Today's calendar day, 'YYYY-MM-DD', in a time zone (the organization's; the reader's when none is known). */
export const todayIn = (timeZone?: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** Whole calendar days from one day ('YYYY-MM-DD') to another (negative when it is before). */
export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** A number of days from today in words: "today", "in 1 day", "in 3 days", "2 days ago". */
export const inDays = (n: number) =>
  n === 0 ? 'today' : n > 0 ? `in ${n} day${n === 1 ? '' : 's'}` : `${-n} day${n === -1 ? '' : 's'} ago`;

/**
 * Why a file chosen as a CSV is not one, or null: a CSV is text, and a file that is not (a
 * spreadsheet workbook, an image, a PDF) read as text holds NUL characters or undecodable
 * bytes (U+FFFD) in its first kilobytes. Said before anything is shown, rather than a
 * preview of garbage.
 */
export function notCsvText(text: string): string | null {
  const head = text.slice(0, 4096);
  if (!head.includes('\u0000') && !head.includes('\uFFFD')) return null;
  if (head.startsWith('PK')) {
    return 'This is a spreadsheet workbook (.xlsx) or another zipped file, not a CSV: save or export it as CSV (in Excel: File → Save As → CSV) and choose that file.';
  }
  return 'This file is not a CSV (it is not text: an image, a PDF or a workbook?): choose a .csv file, e.g. exported from a spreadsheet.';
}
