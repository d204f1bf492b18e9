'use strict';
/**
 * What `npm run mutate` mutates, folder by folder, and the focused tests that are to kill the
 * mutants: the pure, in-process suites that pin each rule with hand-written expectations (no peer,
 * no spawned CLI, no timing assertion), so one run fits on a shared two-core machine.
 */
module.exports = {
  plan: {
    mutate: ['src/plan/**/*.ts', '!src/plan/types.ts'],
    tests: ['test/plan/kafka.test.ts', 'test/plan/gcp.test.ts', 'test/plan/plan.test.ts', 'test/plan/select.test.ts', 'test/crossplane/render.test.ts'],
  },
  'topic-names': {
    mutate: ['src/vocabulary/topic-names.ts'],
    tests: ['test/names/topic-names.test.ts', 'test/names/topic-names.property.test.ts'],
  },
  scope: {
    mutate: ['src/adapters/kafka/engine/scope.ts'],
    tests: ['test/kafka/scope.test.ts', 'test/kafka/diff.test.ts'],
  },
  schemas: {
    mutate: ['src/schemas/**/*.ts', '!src/schemas/types.ts'],
    tests: ['test/schemas/compat-verdicts.test.ts', 'test/schemas/formats.test.ts', 'test/schemas/json-schema-drafts.test.ts'],
  },
};
