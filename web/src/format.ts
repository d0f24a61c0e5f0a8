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
