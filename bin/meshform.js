#!/usr/bin/env node
'use strict';
// Runs the compiled CLI when `npm run build` has produced dist/, otherwise the TypeScript sources through tsx.
const path = require('path');
const fs = require('fs');
const compiled = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(compiled)) require('tsx/cjs');
// `meshform plan | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err) => {
  if (err && err.code === 'EPIPE') process.exit(process.exitCode || 0);
  throw err;
});
const { main } = require(fs.existsSync(compiled) ? compiled : '../src/cli/main.ts');
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`meshform: internal error: ${err && err.stack ? err.stack : err}`); process.exitCode = 70; },
);
