/**
 * `npm run start:sandboxes`: the local imitations of the outside world (SANDBOX.md), started in
 * parallel in one process. Each sandbox is one entry of `sandboxes`: a name and a function that
 * starts it and returns what to print and how to stop it.
 */
import { loadConfig } from '../config';
import { startMailSink } from './mail/sink';
import { startPaymentSandbox } from './payments/sandbox';
import { carrierWebhookUrl, startCarrierSandbox } from './sandbox/carrier-server';

interface RunningSandbox {
  urls: string[];
  close(): Promise<void>;
}

// The carrier sandbox signs webhooks: with NODE_ENV=production (compose) it needs real per-carrier secrets.
const config = loadConfig(process.env, { secrets: ['webhooks'] });

const sandboxes: { name: string; start: () => Promise<RunningSandbox> }[] = [
  {
    name: 'carriers',
    start: async () => {
      const s = await startCarrierSandbox({
        port: config.SANDBOX_CARRIER_PORT,
        host: config.HOST,
        webhookUrl: carrierWebhookUrl(config),
        secret: config.CARRIER_WEBHOOK_SECRET,
        secrets: config.CARRIER_WEBHOOK_SECRETS,
        log: (msg) => console.warn(`[carriers] ${msg}`),
      });
      return { urls: [s.url], close: s.close };
    },
  },
  {
    name: 'payments',
    start: async () => {
      const s = await startPaymentSandbox({
        port: config.SANDBOX_PAYMENT_PORT,
        host: config.HOST,
        dataFile: config.SANDBOX_PAYMENT_DATA_FILE,
      });
      return { urls: [s.url], close: s.close };
    },
  },
  {
    name: 'mail',
    start: async () => {
      const s = await startMailSink({
        smtpPort: config.SANDBOX_MAIL_SMTP_PORT,
        httpPort: config.SANDBOX_MAIL_HTTP_PORT,
        host: config.HOST,
        keep: config.SANDBOX_MAIL_KEEP,
      });
      return { urls: [`smtp://${config.HOST}:${s.smtpPort}`, `${s.url}/messages`], close: s.close };
    },
  },
];

async function main() {
  const running = await Promise.all(
    sandboxes.map(async ({ name, start }) => {
      const s = await start();
      console.log(`[sandboxes] ${name} listening on ${s.urls.join(', ')}`);
      return s;
    }),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.allSettled(running.map((s) => s.close()));
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
