#!/usr/bin/env node
'use strict';
// `npm run build`: dist/ from scratch: tsc (src/ and peers/), then the files peers read at run
// time beside their compiled modules (the Kafka launcher's sources, the Pulumi build module and
// language host). The package ships dist/; jest's global setup runs this when sources are newer.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const ASSETS = ['peers/kafka-launcher', 'peers/pulumi', 'src/adapters/catalog/assets'];

fs.rmSync(DIST, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
for (const dir of ASSETS) {
  fs.cpSync(path.join(ROOT, dir), path.join(DIST, dir), { recursive: true, filter: (f) => !/\.ts$/.test(f) });
}
