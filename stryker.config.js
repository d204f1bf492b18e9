// @ts-check
'use strict';
/**
 * StrykerJS for one target of test/mutation/targets.js (MESHFORM_MUTATE=<target>); run them all
 * with `npm run mutate` (scripts/mutate.js). Not part of `npm test`: a run takes minutes per folder.
 */
const path = require('node:path');
const targets = require('./test/mutation/targets');
const base = require('./jest.config');

const name = process.env.MESHFORM_MUTATE ?? 'plan';
const target = targets[name];
if (!target) throw new Error(`MESHFORM_MUTATE=${name}: no such target (${Object.keys(targets).join(', ')})`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
module.exports = {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    enableFindRelatedTests: false,
    config: {
      testEnvironment: base.testEnvironment,
      transform: base.transform,
      moduleNameMapper: base.moduleNameMapper,
      // The target's own suites only, without the global setup (they need no dist/).
      testMatch: target.tests.map((t) => path.join('<rootDir>', t)),
      testTimeout: 60000,
    },
  },
  checkers: ['typescript'],
  // Type-checks the target's files and what they import, not the whole project (the checker's cost is per mutant).
  tsconfigFile: `test/mutation/tsconfig.${name}.json`,
  coverageAnalysis: 'perTest',
  // MESHFORM_MUTATE_ONLY=<glob,...> narrows a target to some of its files (a run that must fit in less time).
  mutate: process.env.MESHFORM_MUTATE_ONLY ? process.env.MESHFORM_MUTATE_ONLY.split(',') : target.mutate,
  concurrency: Number(process.env.MESHFORM_MUTATE_CONCURRENCY ?? 1),
  incremental: true,
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // Anchored at the root: src/adapters/kafka/reports and src/adapters/crossplane are sources.
  ignorePatterns: ['/dist', '/reports', '/.bench', '/bench', '/examples', '/crossplane', '/coverage', '/test-results', '/packages/peers'],
  timeoutMS: 20000,
};
