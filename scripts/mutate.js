#!/usr/bin/env node
'use strict';
/**
 * `npm run mutate [-- <target>...]`: StrykerJS over each target of test/mutation/targets.js in
 * turn (all when none is named), incremental (reports/mutation/<target>.incremental.json keeps the
 * verdicts of unchanged code and tests), then the mutation score per folder and per file, and the
 * mutants that survived, read from Stryker's JSON reports.
 * MESHFORM_MUTATE_ONLY=<glob,...> mutates only those files of the target (the report then holds
 * only them); MESHFORM_MUTATE_CONCURRENCY sets Stryker's test runners (default 1).
 * Score = (killed + timed out) / (killed + timed out + survived + not covered); compile errors
 * (the TypeScript checker) and ignored mutants do not count, as in Stryker's own score.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const targets = require('../test/mutation/targets');

const ROOT = path.join(__dirname, '..');
const args = process.argv.slice(2);
const reportOnly = args.includes('--report');
const names = args.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !targets[n]);
if (unknown.length) {
  console.error(`mutate: no target ${unknown.join(', ')} (targets: ${Object.keys(targets).join(', ')})`);
  process.exit(2);
}
const chosen = names.length ? names : Object.keys(targets);

let failed = false;
for (const name of chosen) {
  if (reportOnly) continue;
  console.error(`mutate: ${name} (${targets[name].mutate.join(' ')})`);
  const run = spawnSync(process.execPath, [path.join(path.dirname(require.resolve('@stryker-mutator/core/package.json')), 'bin', 'stryker.js'), 'run'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, MESHFORM_MUTATE: name },
  });
  if (run.status !== 0) {
    console.error(`mutate: ${name}: stryker exited ${run.status}`);
    failed = true;
  }
}

const COUNTED = { Killed: 'killed', Timeout: 'killed', Survived: 'survived', NoCoverage: 'survived' };
const rows = [];
const survivors = [];
for (const name of chosen) {
  const file = path.join(ROOT, 'reports', 'mutation', `${name}.json`);
  if (!fs.existsSync(file)) continue;
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byFolder = new Map();
  for (const [source, result] of Object.entries(report.files)) {
    const counts = { killed: 0, survived: 0 };
    for (const mutant of result.mutants) {
      const counted = COUNTED[mutant.status];
      if (counted) counts[counted]++;
      if (counted === 'survived') {
        survivors.push(`${path.relative(ROOT, path.resolve(ROOT, source))}:${mutant.location.start.line}:${mutant.location.start.column} ${mutant.status} ${mutant.mutatorName}${mutant.replacement !== undefined ? ` -> ${JSON.stringify(mutant.replacement).slice(0, 80)}` : ''}`);
      }
    }
    const folder = path.dirname(path.relative(ROOT, path.resolve(ROOT, source)));
    const total = byFolder.get(folder) ?? { killed: 0, survived: 0, files: [] };
    total.killed += counts.killed;
    total.survived += counts.survived;
    total.files.push([path.relative(ROOT, path.resolve(ROOT, source)), counts]);
    byFolder.set(folder, total);
  }
  for (const [folder, total] of byFolder) {
    rows.push([`${name}: ${folder}`, total]);
    for (const [source, counts] of total.files) rows.push([`  ${source}`, counts]);
  }
}
const score = ({ killed, survived }) => (killed + survived === 0 ? 'n/a' : `${((100 * killed) / (killed + survived)).toFixed(1)}%`);
console.log('\nmutation score (killed + timed out of covered and uncovered mutants):');
for (const [label, counts] of rows) console.log(`${label.padEnd(60)} ${score(counts).padStart(7)}  ${counts.killed} killed, ${counts.survived} survived`);
if (survivors.length) {
  console.log(`\nsurvivors (${survivors.length}):`);
  for (const line of survivors) console.log(`  ${line}`);
}
process.exit(failed ? 1 : 0);
