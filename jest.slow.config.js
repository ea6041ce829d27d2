/**
 * `npm run test:slow`: the tests that need the built zips (`*.slow.test.ts`), which build them
 * once themselves (`npm run build`'s code) and start `npm run start:lambda`'s server.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['**/*.slow.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 300_000,
};
