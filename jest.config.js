/** Tests live only under Test_ts/. TypeScript is transpiled by SWC; `npm run typecheck` checks types. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/Test_ts'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest'],
  },
  // Some dependencies ship ESM only, with an `import` export condition alone: point jest at
  // their entry files and let SWC turn them into CommonJS for the test runtime.
  moduleNameMapper: {
    '^@middy/(core|util)$': '<rootDir>/node_modules/@middy/$1/index.js',
    '^fauxqs$': '<rootDir>/node_modules/fauxqs/dist/app.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!(@middy|fauxqs|jose)/)'],
  setupFiles: ['<rootDir>/Test_ts/support/env.ts'],
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean', 'aws-sdk-client-mock-jest'],
  testTimeout: 60_000,
};
