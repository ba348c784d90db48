/** Tests live only under Test_ts/. TypeScript is transpiled by SWC; `npm run typecheck` checks types. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/Test_ts'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest'],
  },
  // Middy ships ESM only; let SWC turn it into CommonJS for the test runtime.
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean', 'aws-sdk-client-mock-jest'],
  testTimeout: 60_000,
};
