/**
 * `npm test`: the fast suite. Jest runs the TypeScript sources directly through SWC (type checking
 * is `npm run lint`'s job). Load, fault and end-to-end tests are named `*.slow.test.ts` and run
 * with `npm run test:slow` (jest.slow.config.js), which CI runs too.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '\\.slow\\.test\\.ts$'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  testTimeout: 60_000,
  // Jest's default on 2 cores is one worker; many files here wait on servers and databases, so two
  // finish the suite in about two thirds of the time (3m52s -> 2m46s measured on the same machine).
  maxWorkers: 2,
};
