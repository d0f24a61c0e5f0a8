import { Writable } from 'node:stream';

import { pino } from 'pino';
import { describe, expect, it } from 'vitest';

import { createLogger, redactUrl, REDACTED_PATHS } from '../src/logger.js';

describe('logs keep secrets out', () => {
  it('hides tokens in invite and share paths, and whole query strings', () => {
    expect(redactUrl('/api/invites/abcDEF123_-xyz/accept')).toBe('/api/invites/[redacted]/accept');
    expect(redactUrl('/api/shared/tok123')).toBe('/api/shared/[redacted]');
    expect(redactUrl('/api/shared/tok123/report.pdf')).toBe('/api/shared/[redacted]/report.pdf');
    // Calendars fetch the feed several times a day: its secret URL must not fill the logs.
    expect(redactUrl('/api/calendar/feedTok_123.ics')).toBe('/api/calendar/[redacted]');
    expect(redactUrl('/invite/tok123')).toBe('/invite/[redacted]');
    // Emailed links: a reset token in a log line would let whoever reads the logs reset the password.
    expect(redactUrl('/api/auth/password-reset/resetTok_123')).toBe('/api/auth/password-reset/[redacted]');
    expect(redactUrl('/reset-password/resetTok_123')).toBe('/reset-password/[redacted]');
    expect(redactUrl('/verify-email/verifyTok_123')).toBe('/verify-email/[redacted]');
    // The route that asks for a link has no token after it.
    expect(redactUrl('/api/auth/password-reset')).toBe('/api/auth/password-reset');
    expect(redactUrl('/api/audits?cursor=abc')).toBe('/api/audits?[query]');
    expect(redactUrl('/api/audits/audit_1')).toBe('/api/audits/audit_1');
  });

  it('redacts credentials wherever they appear in a log object', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    logger.info({
      req: { headers: { authorization: 'Bearer s3cret', cookie: 'sa_session=s3cret' } },
      body: { password: 's3cret' },
      connect: { apiToken: 's3cret', apiKey: 's3cret' },
    });
    // At the top of the log object too, not only one level down.
    logger.warn({ token: 's3cret', password: 's3cret', refreshToken: 's3cret', kept: 'visible' }, 'top level');
    expect(lines.join('')).not.toContain('s3cret');
    expect(lines.join('')).toContain('visible');
    expect(createLogger({ logLevel: 'silent' }).level).toBe('silent');
  });
});
