export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Deterministic per order and kind (`<order-…-confirmed@cathay.shop>`), so a re-send is recognisable. */
  messageId: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}
