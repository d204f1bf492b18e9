#!/usr/bin/env node
'use strict';
// In-memory Kafka wire-protocol broker for tests; runs the compiled entry when dist/ exists, else the TypeScript through tsx.
const path = require('path');
const fs = require('fs');
const compiled = path.join(__dirname, '..', 'dist', 'src', 'test-broker', 'cli.js');
if (!fs.existsSync(compiled)) require('tsx/cjs');
const { main } = require(fs.existsSync(compiled) ? compiled : '../src/test-broker/cli.ts');
main(process.argv.slice(2)).then(
  (code) => { process.exit(code); },
  (err) => { console.error(`kafka-test-broker: internal error: ${err && err.stack ? err.stack : err}`); process.exit(70); },
);
