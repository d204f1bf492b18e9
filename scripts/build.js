#!/usr/bin/env node
'use strict';
// `npm run build`: each package's dist/ from scratch, in dependency order: the test broker (which
// meshform/testing starts in process), then meshform (tsc of src/, plus the catalog's assets beside
// its compiled modules). The packages ship dist/; jest's global setup runs this when sources are newer.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const BUILDS = [
  { dir: 'packages/kafka-test-broker', assets: [] },
  { dir: '.', assets: ['src/catalog/assets'] },
];

for (const { dir, assets } of BUILDS) {
  const home = path.join(ROOT, dir);
  const dist = path.join(home, 'dist');
  fs.rmSync(dist, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(home, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  for (const asset of assets) {
    fs.cpSync(path.join(home, asset), path.join(dist, asset), { recursive: true, filter: (f) => !/\.ts$/.test(f) });
  }
}
