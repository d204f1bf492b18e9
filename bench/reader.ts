/**
 * The reader on large and hostile files (issue 23): a 10 MB spec of 160,000 keys (target: read in
 * <= 2 s), the same at 20,000 (linear: 8x the keys, about 8x the time), and the hostile cases, each
 * `meshform validate` in its own process (wall and CPU time, peak RSS).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSource } from '../src/reading/source';
import { aliasBomb, manyKeys as keys } from '../test/support/hostile-specs';

function cpuMs(f: () => void): number {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export async function benchReader(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'meshform-bench-reader-'));
  try {
    console.log('== reader: large and hostile files ==');
    const small = keys(20_000);
    const large = keys(160_000);
    cpuMs(() => parseSource('/w.yaml', 'w.yaml', small));
    const smallMs = Math.min(...[0, 1, 2].map(() => cpuMs(() => parseSource('/s.yaml', 's.yaml', small))));
    const largeMs = Math.min(...[0, 1, 2].map(() => cpuMs(() => parseSource('/l.yaml', 'l.yaml', large))));
    console.log(`parse 20,000 keys (${(small.length / 1e6).toFixed(1)} MB):  ${smallMs.toFixed(0)} ms CPU`);
    console.log(`parse 160,000 keys (${(large.length / 1e6).toFixed(1)} MB): ${largeMs.toFixed(0)} ms CPU  (x${(largeMs / smallMs).toFixed(1)} for x8 the keys)`);

    const cases: Array<[string, string, string]> = [
      ['validate 160,000 keys', 'keys.yaml', large],
      ['validate alias bomb, 6 levels', 'bomb6.yaml', aliasBomb(6)],
      ['validate alias bomb, 9 levels', 'bomb9.yaml', aliasBomb(9)],
      ['validate JSON 100,000 deep', 'deep.json', `{"asyncapi": "3.0.0", "x": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
    ];
    for (const [name, file, text] of cases) {
      writeFileSync(join(dir, file), text);
      const started = Date.now();
      const run = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, join(__dirname, '..', 'bin', 'meshform.js'), 'validate', join(dir, file)], { encoding: 'utf8', timeout: 180_000 });
      const wall = Date.now() - started;
      const [user, sys, rssKb] = run.stderr.trim().split('\n').pop()!.split(' ').map(Number);
      const answer = `${run.stdout}${run.stderr}`.match(/MF-[A-Z-]+|ok: \d+ product/)?.[0] ?? `exit ${run.status}`;
      console.log(`${name.padEnd(32)} ${String(wall).padStart(6)} ms wall ${((user + sys) * 1000).toFixed(0).padStart(6)} ms CPU ${(rssKb / 1024).toFixed(0).padStart(5)} MB peak  ${answer} (exit ${run.status})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
