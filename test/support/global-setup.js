'use strict';
// Suites spawn bin/*.js and Pulumi programs, which run the compiled dist/: rebuild it first when a
// source under src/ (or the test broker's) is newer than the last build (or there is none), so a targeted jest run never
// tests stale code.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
// tsc rewrites every output file on each build, so any one of them dates the last build.
const STAMP = path.join(ROOT, 'dist', 'src', 'index.js');

function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

module.exports = async function globalSetup() {
  const built = fs.existsSync(STAMP) ? fs.statSync(STAMP).mtimeMs : 0;
  const sources = Math.max(
    newest(path.join(ROOT, 'src')),
    newest(path.join(ROOT, 'packages', 'kafka-test-broker', 'src')),
    fs.statSync(path.join(ROOT, 'tsconfig.build.json')).mtimeMs,
    fs.statSync(path.join(ROOT, 'scripts', 'build.js')).mtimeMs,
  );
  if (built >= sources) return;
  const res = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.js')], { cwd: ROOT, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('npm run build failed: the suites need dist/');
};
