import type { Server } from 'node:http';
import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { ALL_SECRETS, loadConfig } from '../config';
import { createLogger } from '../observability/logger';
import { temporalLogger } from '../temporal/logger';
import { createApp } from './app';
import { closeAppDeps, createAppDeps } from './deps';
import { createHttpServer } from './http-server';

// The API holds every secret: in production it refuses to start on a missing, short or dev one.
const config = loadConfig(process.env, { secrets: ALL_SECRETS });
const logger = createLogger({ level: config.LOG_LEVEL, name: 'api' });
// The Temporal client connects through the SDK's Rust core (temporal/native-connection.ts). Its
// logs go through pino; core retry warnings are left out (a call that fails is the API's to
// log, as a 503). The API drains on SIGTERM itself, so the runtime takes no signals. On grpc-js
// there is no core to start.
if (config.API_TEMPORAL_TRANSPORT === 'native') {
  Runtime.install({
    logger: temporalLogger(logger),
    shutdownSignals: [],
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
  });
}
const deps = createAppDeps(config, logger);
const app = createApp(deps);

const server: Server = createHttpServer(app).listen(config.PORT, config.HOST, () => {
  logger.info({ url: `http://${config.HOST}:${config.PORT}` }, 'api listening');
});
// Keep-alive longer than a typical load balancer's idle timeout, so it closes first.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'api shutting down: draining connections');
  const force = setTimeout(() => {
    logger.warn('api forced exit after 10 s drain');
    process.exit(1);
  }, 10_000);
  force.unref();
  server.close(async () => {
    await closeAppDeps(deps);
    logger.info('api stopped');
    process.exit(0);
  });
  server.closeIdleConnections();
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
