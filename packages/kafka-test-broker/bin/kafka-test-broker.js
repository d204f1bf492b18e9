#!/usr/bin/env node
'use strict';
// In-memory Kafka wire-protocol broker for tests: compiled code from dist/ (`npm run build` in a checkout).
let main;
try {
  ({ main } = require('../dist/cli.js'));
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && /dist[\\/]cli\.js/.test(err.message)) {
    console.error('kafka-test-broker: dist/ is missing: run `npm run build` in the meshform checkout');
    process.exit(2);
  }
  throw err;
}
main(process.argv.slice(2)).then(
  (code) => { process.exit(code); },
  (err) => { console.error(`kafka-test-broker: internal error: ${err && err.stack ? err.stack : err}`); process.exit(70); },
);
