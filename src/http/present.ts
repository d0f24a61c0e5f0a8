/** How presenters write values the contract's way: the one place for dates and money. */

/** A timestamp as ISO-8601 UTC, or null. */
export const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

/** A DECIMAL(12,2) as read (a string) as a JSON number, or null. */
export const money = (value: string | null): number | null => (value === null ? null : Number(value));
