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
