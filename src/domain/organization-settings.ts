/**
 * An organization's settings (the seed plan's `settings` JSONB): what they hold, their
 * defaults, reading them from whatever an older row stores, and which allowed domains are
 * acceptable. Pure: no I/O.
 */
import { ValidationError } from '../errors.js';
import { isTimeZone } from './days.js';

export interface OrganizationSettings {
  allowedDomains: string[];
  /** The organization's own monthly cap, at most the plan's; null: the plan's. */
  maxAuditsPerMonth: number | null;
  auditRetentionDays: number;
  baseCurrency: string;
  /** IANA time zone: it decides what "today" is for renewals and cancel-by dates. */
  timeZone: string;
  /** Days before each cancel-by date (else renewal date) that reminders go out, largest first. */
  reminderLeadDays: number[];
  /** The AI narrative and questions, where the server has a model (AI_*): on unless an admin turns them off. */
  aiEnabled: boolean;
  /** Whether people's names (tool owners) are sent to the model; off by default. */
  aiIncludePeopleNames: boolean;
}

export const DEFAULT_REMINDER_LEAD_DAYS: readonly number[] = Object.freeze([90, 30, 7]);
export const MAX_REMINDER_LEAD_DAYS = 365;

/** Lead times as stored: whole days 0–365, each once, largest first. */
export const normalizeLeadDays = (days: readonly number[]): number[] =>
  [...new Set(days)].filter((d) => Number.isInteger(d) && d >= 0 && d <= MAX_REMINDER_LEAD_DAYS).sort((a, b) => b - a);

export const defaultSettings = (): OrganizationSettings => ({
  allowedDomains: [],
  maxAuditsPerMonth: null,
  auditRetentionDays: 90,
  baseCurrency: 'USD',
  timeZone: 'UTC',
  reminderLeadDays: [...DEFAULT_REMINDER_LEAD_DAYS],
  aiEnabled: true,
  aiIncludePeopleNames: false,
});

// Domains anyone can have an address at: claiming one would pull strangers into an organization.
const SHARED_EMAIL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'ymail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'pm.me',
  'gmx.com',
  'gmx.net',
  'gmx.de',
  'web.de',
  'mail.com',
  'yandex.com',
  'yandex.ru',
  'mail.ru',
  'zoho.com',
  'qq.com',
  '163.com',
  'fastmail.com',
  'hey.com',
  'tutanota.com',
  'example.com',
]);
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The stored settings with the seed plan's keys, whatever older rows hold. */
export function readSettings(stored: Record<string, unknown> | null): OrganizationSettings {
  const defaults = defaultSettings();
  const s = stored ?? {};
  return {
    allowedDomains: Array.isArray(s.allowedDomains)
      ? s.allowedDomains.filter((d): d is string => typeof d === 'string')
      : defaults.allowedDomains,
    maxAuditsPerMonth: typeof s.maxAuditsPerMonth === 'number' ? s.maxAuditsPerMonth : defaults.maxAuditsPerMonth,
    auditRetentionDays: typeof s.auditRetentionDays === 'number' ? s.auditRetentionDays : defaults.auditRetentionDays,
    baseCurrency: typeof s.baseCurrency === 'string' ? s.baseCurrency : defaults.baseCurrency,
    timeZone: typeof s.timeZone === 'string' && isTimeZone(s.timeZone) ? s.timeZone : defaults.timeZone,
    reminderLeadDays: Array.isArray(s.reminderLeadDays)
      ? normalizeLeadDays(s.reminderLeadDays.filter((d): d is number => typeof d === 'number'))
      : defaults.reminderLeadDays,
    aiEnabled: typeof s.aiEnabled === 'boolean' ? s.aiEnabled : defaults.aiEnabled,
    aiIncludePeopleNames:
      typeof s.aiIncludePeopleNames === 'boolean' ? s.aiIncludePeopleNames : defaults.aiIncludePeopleNames,
  };
}

/** The allowed domains as stored: lower-cased, without '@', deduplicated; 400 for a domain nobody may claim. */
export function normalizeDomains(domains: string[]): string[] {
  const normalized = [...new Set(domains.map((d) => d.trim().toLowerCase().replace(/^@/, '')))];
  const details = normalized.flatMap((domain, i) => {
    if (!DOMAIN.test(domain)) return [{ field: `body.settings.allowedDomains.${i}`, message: 'is not a domain name' }];
    if (SHARED_EMAIL_DOMAINS.has(domain)) {
      return [
        { field: `body.settings.allowedDomains.${i}`, message: 'is a shared email provider anyone can sign up at' },
      ];
    }
    return [];
  });
  if (details.length > 0) throw new ValidationError('Some allowed domains cannot be used.', details);
  return normalized;
}
