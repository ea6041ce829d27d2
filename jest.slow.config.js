// `npm run test:slow`: load, fault and end-to-end tests (files named *.slow.test.ts). CI runs it after `npm test`.
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['**/*.slow.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 300_000,
  // Load and memory tests measure the machine: one file at a time.
  maxWorkers: 1,
};
