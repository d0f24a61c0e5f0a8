/** Sending email through an SMTP server (nodemailer), as the outbox hands it over. */
import nodemailer, { type Transporter } from 'nodemailer';

export interface OutgoingEmail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

/**
 * A mailer over `smtp(s)://user:pass@host:port`. Each message carries a Message-ID made from
 * its outbox id, so that the rare resend after a crash between "SMTP accepted" and "marked
 * sent" is recognisable as the same message.
 */
export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport: Transporter = nodemailer.createTransport(smtpUrl);
  return {
    async send(email) {
      await transport.sendMail({
        from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: `<${email.id}@stackaudit>`,
      });
    },
    close: () => transport.close(),
  };
}
