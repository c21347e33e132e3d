/**
 * SMTP client (nodemailer, pooled connections, bounded timeouts). In dev and tests it talks to the
 * mail sink; in production to the relay configured by SMTP_HOST/SMTP_PORT.
 */
import nodemailer from 'nodemailer';
import type { Mailer } from './types';

export function createMailer(opts: { host: string; port: number; from: string; timeoutMs?: number }): Mailer {
  const timeout = opts.timeoutMs ?? 5_000;
  const transport = nodemailer.createTransport({
    host: opts.host,
    port: opts.port,
    secure: false,
    ignoreTLS: opts.host === '127.0.0.1' || opts.host === 'localhost',
    pool: true,
    maxConnections: 4,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
  });
  return {
    async send(mail) {
      const info = await transport.sendMail({
        from: opts.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.headers,
      });
      return { messageId: info.messageId ?? mail.messageId };
    },
    close() {
      transport.close();
    },
  };
}
