// `npm run test:slow`: load, fault and end-to-end tests (files named *.slow.test.ts). CI runs it after `npm test`.
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['**/*.slow.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 300_000,
};
