/**
 * Jest: @swc/jest transforms TypeScript (ts-jest needs TypeScript < 7); `npm run typecheck`
 * (tsc --noEmit) is the type check. The global setup gives each run its own Postgres database,
 * Redis key prefix, Meilisearch server and index prefix, a Temporal dev server (installed
 * binary, never a download) and one workflow bundle shared by every test file.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
    // ESM-only dependencies (meilisearch 0.62, jose 6) are compiled to CommonJS for jest's module loader;
    // at run time Node 20.19+ loads them natively with require(esm).
    '^.+/node_modules/(meilisearch|jose)/.+\\.js$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(meilisearch|jose)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/.tools/', '/.data/', '/dist/'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  maxWorkers: 2,
  testTimeout: 60_000,
  // Workers, sockets and SSE streams are closed by each test; this catches the ones that are not.
  forceExit: false,
};
