/**
 * The mail sink (SANDBOX.md): an SMTP server that accepts every message (no auth, no TLS) and
 * keeps it in memory, and an HTTP server listing what arrived:
 * `GET /messages?to=&subject=` → `{ messages: [{ id, messageId, from, to, subject, text, html, headers, receivedAt }] }`,
 * `DELETE /messages` empties it. Messages are stored as they arrive, duplicates included, so a
 * test can prove an email was sent exactly once.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SinkMessage {
  id: number;
  messageId: string | undefined;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  receivedAt: string;
}

export interface MailSink {
  smtpPort: number;
  httpPort: number;
  url: string;
  messages(): SinkMessage[];
  close(): Promise<void>;
}

export async function startMailSink(opts: {
  smtpPort: number;
  httpPort: number;
  host?: string;
  /** How many messages to keep (the oldest go first); 10,000 by default. */
  keep?: number;
}): Promise<MailSink> {
  const host = opts.host ?? '127.0.0.1';
  const keep = opts.keep ?? 10_000;
  const messages: SinkMessage[] = [];
  let nextId = 1;

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const headers: Record<string, string> = {};
          for (const line of parsed.headerLines) headers[line.key] = line.line.slice(line.key.length + 1).trim();
          messages.push({
            id: nextId++,
            messageId: parsed.messageId,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            headers,
            receivedAt: new Date().toISOString(),
          });
          if (messages.length > keep) messages.splice(0, messages.length - keep);
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(opts.smtpPort, host, () => {
      smtp.off('error', reject);
      resolve();
    });
  });
  smtp.on('error', () => {
    // a client that hangs up mid-session; the sink keeps serving
  });

  const app = express();
  app.disable('x-powered-by');
  app.get('/messages', (req, res) => {
    const to = typeof req.query.to === 'string' ? req.query.to.toLowerCase() : undefined;
    const subject = typeof req.query.subject === 'string' ? req.query.subject : undefined;
    const list = messages.filter((m) => (!to || m.to.some((t) => t.toLowerCase() === to)) && (!subject || m.subject.includes(subject)));
    res.json({ messages: list });
  });
  app.delete('/messages', (_req, res) => {
    messages.length = 0;
    res.status(204).end();
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const http: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.httpPort, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });

  const smtpAddr = smtp.server.address() as AddressInfo;
  const httpAddr = http.address() as AddressInfo;
  return {
    smtpPort: smtpAddr.port,
    httpPort: httpAddr.port,
    url: `http://${host}:${httpAddr.port}`,
    messages: () => [...messages],
    async close() {
      http.closeAllConnections();
      await Promise.all([new Promise<void>((r) => http.close(() => r())), new Promise<void>((r) => smtp.close(() => r()))]);
    },
  };
}
