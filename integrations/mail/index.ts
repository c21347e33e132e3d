export { createMailer } from './client';
export { type MailSink, type SinkMessage, startMailSink } from './sink';
export { type OrderEmailKind, type OrderEmailModel, renderOrderEmail } from './templates';
export type { Mailer, OutgoingMail } from './types';
