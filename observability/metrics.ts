import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Process metrics for the API (the worker exports Temporal's own through the SDK runtime). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const dependencyFallback = new Counter({
    name: 'dependency_fallback_total',
    help: 'Times a request was served without a dependency (e.g. cache bypass while Redis is down)',
    labelNames: ['dependency', 'operation'] as const,
    registers: [registry],
  });
  const dependencyErrors = new Counter({
    name: 'dependency_errors_total',
    help: 'Dependency calls that failed or timed out',
    labelNames: ['dependency'] as const,
    registers: [registry],
  });
  return { registry, httpDuration, dependencyFallback, dependencyErrors };
}

export type Metrics = ReturnType<typeof createMetrics>;
