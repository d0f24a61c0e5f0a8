/**
 * The email outbox against a real SMTP server on loopback (the smtp-server package):
 * an invite's email is delivered, its link accepted; a failing server means retries with
 * backoff, never a second copy of a sent message.
 */
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { loadConfig } from '../../src/config.js';
import type { App } from '../../src/http/app.js';
import { CommentFanoutWorker } from '../../src/jobs/comment-fanout.worker.js';
import { OutboxWorker } from '../../src/jobs/outbox.worker.js';
import { backoffSeconds, EmailService } from '../../src/services/email.service.js';
import { EmailOutboxRepository } from '../../src/repositories/email-outbox.repository.js';
import { buildTestApp, GENEROUS_IP_LIMITS, servicesOf } from '../harness/app.js';
import { call, signup, uniqueEmail, type Account } from '../harness/client.js';
import { silentLogger } from '../harness/config.js';
import { describeEachDatabase } from '../harness/databases.js';
import { makeAudit, makeUser } from '../harness/factories.js';

interface Received {
  to: string[];
  data: string;
}

async function startSmtp(options: { reject?: boolean } = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
      stream.on('end', () => {
        if (options.reject) return callback(new Error('mailbox unavailable'));
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return { received, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The quoted-printable soft line breaks and escapes of an email body, undone. */
const unfold = (data: string) => data.replace(/=\r?\n/g, '').replace(/=3D/g, '=');

describeEachDatabase('email outbox', (get) => {
  let app: App;
  let admin: Account;
  beforeAll(async () => {
    app = await buildTestApp(get().database);
    await app.ready();
    admin = await signup(app);
  });
  afterAll(() => app.close());

  const worker = (smtpUrl?: string) => {
    const config = loadConfig({ NODE_ENV: 'test', ...GENEROUS_IP_LIMITS, ...(smtpUrl ? { SMTP_URL: smtpUrl } : {}) });
    return new OutboxWorker(new EmailService(get().database, config, silentLogger), config, silentLogger);
  };

  it('delivers an invite through SMTP once, and its link is accepted', async () => {
    const smtp = await startSmtp();
    try {
      const email = uniqueEmail('mailed');
      const invite = await call<{ invite: { acceptUrl: string } }>(
        app,
        'POST',
        '/api/team/invites',
        { email, role: 'member' },
        { token: admin.token },
      );
      expect(invite.status).toBe(201);

      const sender = worker(smtp.url);
      expect(await sender.drain()).toBeGreaterThanOrEqual(1);
      expect(await sender.drain()).toBe(0); // nothing is sent twice
      await sender.stop();

      const mine = smtp.received.filter((m) => m.to.includes(email));
      expect(mine).toHaveLength(1);
      const body = unfold(mine[0]!.data);
      expect(body).toContain(`Subject: Ada Admin invited you to`);
      expect(body).toContain('Content-Type: text/html');
      const link = /(http:\/\/localhost:80\/invite\/[A-Za-z0-9_-]{43})/.exec(body)?.[1];
      expect(link).toBe(invite.body.invite.acceptUrl);

      const token = link!.split('/invite/')[1]!;
      const [row] = await new EmailOutboxRepository(get().database.db).listTo(admin.organization.id, email);
      expect(row).toMatchObject({ status: 'sent', attempts: 1 });
      // Once out, the stored copy no longer holds a working link (the database keeps only token hashes).
      expect(row!.textBody).not.toContain(token);
      expect(row!.htmlBody).not.toContain(token);
      expect(row!.textBody).toContain('/invite/[removed once sent]');

      const accepted = await call(app, 'POST', `/api/invites/${token}/accept`, {
        name: 'Mailed Person',
        password: 'from the email',
      });
      expect(accepted.status).toBe(200);
    } finally {
      await smtp.close();
    }
  });

  it('a refusing SMTP server means a retry later with backoff, not a lost or doubled message', async () => {
    const smtp = await startSmtp({ reject: true });
    try {
      const email = uniqueEmail('bounced');
      await call(app, 'POST', '/api/team/invites', { email, role: 'viewer' }, { token: admin.token });
      const sender = worker(smtp.url);
      await sender.drain();
      await sender.stop();
      const [row] = await new EmailOutboxRepository(get().database.db).listTo(admin.organization.id, email);
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });
      expect(row?.lastError).toContain('mailbox unavailable');
      const wait = row!.nextAttemptAt.getTime() - Date.now();
      expect(wait).toBeGreaterThan(20_000);
      expect(wait).toBeLessThanOrEqual(30_000);
      expect([1, 2, 3, 9].map(backoffSeconds)).toEqual([30, 60, 120, 3600]);
    } finally {
      await smtp.close();
    }
  });

  it('without SMTP_URL messages are logged and marked so', async () => {
    const email = uniqueEmail('logged');
    await call(app, 'POST', '/api/team/invites', { email, role: 'viewer' }, { token: admin.token });
    const sender = worker();
    await sender.drain();
    await sender.stop();
    const [row] = await new EmailOutboxRepository(get().database.db).listTo(admin.organization.id, email);
    expect(row).toMatchObject({ status: 'logged', attempts: 1 });
  });

  it('without SMTP_URL a batch is logged and marked in one statement, its links removed', async () => {
    const outbox = new EmailOutboxRepository(get().database.db);
    const to = Array.from({ length: 150 }, (_, i) => uniqueEmail(`batch${i}`));
    const token = 'a'.repeat(32);
    await outbox.enqueueMany(
      to.map((address) => ({
        organizationId: admin.organization.id,
        template: 'team_invite',
        to: address,
        subject: 'Join us',
        text: `Open http://localhost/invite/${token} to join.`,
        html: `<a href="http://localhost/invite/${token}">Join</a>`,
      })),
    );
    const config = loadConfig({ NODE_ENV: 'test', ...GENEROUS_IP_LIMITS });
    const before = get().database.statementsRun();
    const handled = await new EmailService(get().database, config, silentLogger).deliverDue();
    const statements = get().database.statementsRun() - before;
    expect(handled).toBeGreaterThanOrEqual(150);
    // A claim per batch of 100 (the last one short) and one UPDATE per batch that had messages.
    expect(statements).toBe(Math.floor(handled / 100) + 1 + Math.ceil(handled / 100));
    for (const address of to) {
      const [row] = await outbox.listTo(admin.organization.id, address);
      expect(row, address).toMatchObject({ status: 'logged', attempts: 1 });
      expect(row?.textBody).toBe('Open http://localhost/invite/[removed once sent] to join.');
      expect(row?.sentAt).toBeInstanceOf(Date);
    }
  });

  it('sends a comment’s emails as soon as its fan-out queued them, not at the next poll', async () => {
    // Polls ten minutes apart: only the fan-out's wake can send the email within the test.
    const config = loadConfig({ NODE_ENV: 'test', ...GENEROUS_IP_LIMITS, OUTBOX_POLL_MS: '600000' });
    const sender = new OutboxWorker(new EmailService(get().database, config, silentLogger), config, silentLogger);
    const fanout = new CommentFanoutWorker(servicesOf(app).comments, config, silentLogger, () => sender.notify());
    sender.start(); // its first pass, at once, finds nothing due
    await new Promise((r) => setTimeout(r, 300));
    try {
      const mentioned = await makeUser(get().database.db, admin.organization.id, 'member');
      const audit = await makeAudit(get().database.db, admin.organization.id, admin.user.id);
      const posted = await call(
        app,
        'POST',
        `/api/audits/${audit.id}/comments`,
        { content: `Can you check this, @${mentioned.email}?` },
        { token: admin.token },
      );
      expect(posted.status).toBe(201);
      const outbox = new EmailOutboxRepository(get().database.db);
      expect(await fanout.drain()).toBe(1);
      let status: string | undefined;
      for (let i = 0; i < 50 && status !== 'logged'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await outbox.listTo(admin.organization.id, mentioned.email))[0]?.status;
      }
      expect(status).toBe('logged');
    } finally {
      await fanout.stop();
      await sender.stop();
    }
  });
});
