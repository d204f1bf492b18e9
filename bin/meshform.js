#!/usr/bin/env node
'use strict';
// The meshform CLI: compiled code from dist/ (shipped in the package; `npm run build` in a checkout).
let main;
try {
  ({ main } = require('../dist/src/cli/main.js'));
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && /dist[\\/]src[\\/]cli[\\/]main\.js/.test(err.message)) {
    console.error('meshform: dist/ is missing: run `npm run build` in this checkout (an installed meshform package ships it)');
    process.exit(2);
  }
  throw err;
}
// `meshform plan | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err) => {
  if (err && err.code === 'EPIPE') process.exit(process.exitCode || 0);
  throw err;
});
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`meshform: internal error: ${err && err.stack ? err.stack : err}`); process.exitCode = 70; },
);
