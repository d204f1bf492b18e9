/**
 * The rest of the house at mesh scale, run the way users run it: the compiled CLI
 * (`node bin/meshform.js`, what `npx meshform` starts) in its own process on the generator's specs
 * (10 channels each), from the repository root (stack `dev`).
 *  - `validate`, `plan` (which validates too) and `plan --json` (stdout into a file) of 10,000 specs:
 *    target <= 10 s and <= 1 GB peak RSS each (issue 22 part 6).
 *    `MESHFORM_BENCH_PLAN_BASE=<folder>` runs that checkout's build of the three right after (before/after
 *    under the same load).
 *  - `catalog` of 1,000 products into a new folder: target <= 8 s and <= 500 MB; then the same on a
 *    varied mesh whose product drawings all differ (as a real mesh's do), for information;
 *    `MESHFORM_BENCH_CATALOG_BASE=<folder>` runs that checkout's build of it right after (before/after
 *    under the same load; `MESHFORM_BENCH_SCALE=100` makes the spec runs before it short).
 * Each run prints its wall time, its CPU time (user + system, every thread of the process: on a
 * machine that other work shares, wall time is the figure the target names but CPU time is the one
 * that does not move with the load) and its peak RSS, beside the baseline (main before
 * this work on a quiet machine). Spec files are checked in worker threads (`MESHFORM_WORKERS`, passed
 * on to the CLI; the header line says how many and the machine's load). `MESHFORM_BENCH_SCALE=<products>` sets the spec count of the
 * first three (default 10,000); `MESHFORM_BENCH_CLI=<folder>` runs another checkout's
 * bin/meshform.js from that folder (a baseline build, say) on the same specs.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateMesh } from './generate';

const CHANNELS = 10;
/**
 * On a quiet machine (2026-12-07): main at 8705177 (before the readfast and planfast branches; the
 * two runs of each pair, this bench with MESHFORM_BENCH_PLAN_BASE / MESHFORM_BENCH_CLI, both
 * orders), wall / CPU / peak RSS; main at f172c3e (before the plan was made and written a product
 * at a time) and at 5ccb533 (before threads), wall / peak RSS.
 */
const BASELINE = {
  validate: 'main 8705177 quiet: 8.0, 10.9 s / cpu 13.3, 18.0 s / 680-969 MB; f172c3e: 8.4 s / 684 MB; 5ccb533: 12.6 s / 1,694 MB',
  plan: 'main 8705177 quiet: 11.9, 14.0 s / cpu 18.4, 22.2 s / 676-706 MB; f172c3e: 12.7 s / 786 MB; 5ccb533: 16.7 s / 1,975 MB',
  json: 'main 8705177 quiet: 12.8, 10.8 s / cpu 19.8, 16.7 s / 706-909 MB; f172c3e: 13.7 s / 758 MB; 5ccb533: 20.3 s / 1,929 MB',
};
/**
 * The catalog's own baseline: main at f172c3e on a quiet machine (2026-12-07, before each graph
 * shape was laid out once and the access matrix's cells rendered once per kind), wall / peak RSS.
 */
const CATALOG_BASELINE = 'main f172c3e quiet: 13.9-15.1 s / 550-613 MB (MESHFORM_WORKERS=0: 11.6-13.0 s / 486-498 MB)';
const CATALOG_PRODUCTS = 1000;

interface Run {
  wallMs: number;
  cpuMs: number;
  peakMb: number;
  code: number | null;
  stderr: string;
}

/** What a run reports of itself when it exits: every thread's CPU time and the process's peak RSS. */
const RUSAGE_PRELOAD = `
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  const u = process.resourceUsage();
  writeFileSync(process.env.MESHFORM_BENCH_RUSAGE, JSON.stringify({ userUs: u.userCPUTime, systemUs: u.systemCPUTime, maxRssKb: u.maxRSS }));
});
`;

async function runCli(root: string, args: string[], work: string, stdoutFile?: string): Promise<Run> {
  const preload = join(work, 'rusage.cjs');
  writeFileSync(preload, RUSAGE_PRELOAD);
  const usage = join(work, 'rusage.json');
  rmSync(usage, { force: true });
  const out = stdoutFile ? openSync(stdoutFile, 'w') : 'ignore';
  const start = process.hrtime.bigint();
  try {
    const child = spawn(process.execPath, ['--require', preload, join(root, 'bin', 'meshform.js'), ...args], {
      cwd: root,
      env: { ...process.env, MESHFORM_BENCH_RUSAGE: usage, NO_COLOR: '1' },
      stdio: ['ignore', out, 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    const u = JSON.parse(readFileSync(usage, 'utf8')) as { userUs: number; systemUs: number; maxRssKb: number };
    return { wallMs, cpuMs: (u.userUs + u.systemUs) / 1000, peakMb: u.maxRssKb / 1024, code, stderr };
  } finally {
    if (typeof out === 'number') closeSync(out);
  }
}

/** The file starts with `{` and ends with `}` (and white space): its first and last bytes only. */
function wholeObject(file: string): boolean {
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(1);
    const tail = Buffer.alloc(Math.min(16, size));
    readSync(fd, head, 0, 1, 0);
    readSync(fd, tail, 0, tail.length, size - tail.length);
    return head.toString() === '{' && tail.toString().trimEnd().endsWith('}');
  } finally {
    closeSync(fd);
  }
}

function report(label: string, run: Run, target: { s: number; mb: number }, baseline: string, extra = ''): void {
  const s = run.wallMs / 1000;
  const ok = s <= target.s && run.peakMb <= target.mb;
  console.log(
    `${label.padEnd(40)} wall ${s.toFixed(1).padStart(5)} s  cpu ${(run.cpuMs / 1000).toFixed(1).padStart(5)} s  peak RSS ${run.peakMb.toFixed(0).padStart(5)} MB` +
      `  (target <= ${target.s} s, <= ${target.mb} MB: ${ok ? 'OK' : run.cpuMs / 1000 <= target.s && run.peakMb <= target.mb ? 'MISSED on wall time only' : 'MISSED'})` +
      `  baseline ${baseline}${extra}`,
  );
  if (run.code !== 0) throw new Error(`bench: meshform ${label} exited ${run.code}: ${run.stderr.slice(-2000)}`);
}

export async function benchScale(): Promise<void> {
  const root = resolve(process.env.MESHFORM_BENCH_CLI ?? join(__dirname, '..'));
  const products = Number(process.env.MESHFORM_BENCH_SCALE ?? 10_000);
  const work = mkdtempSync(join(tmpdir(), 'meshform-bench-scale-'));
  try {
    const threads = process.env.MESHFORM_WORKERS ?? `default: ${Math.min(4, availableParallelism())}`;
    console.log(`== meshform at mesh scale: the CLI as users run it (${root}; MESHFORM_WORKERS ${threads}; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores) ==`);
    const { dir: specs } = generateMesh(join(work, 'specs'), products, CHANNELS);
    const target = { s: 10, mb: 1024 };
    const n = `${products.toLocaleString('en-US')} specs`;
    const specRuns = async (cli: string, label: string) => {
      report(`validate (${n})${label}`, await runCli(cli, ['validate', specs], work), target, BASELINE.validate);
      report(`plan --stack dev (${n})${label}`, await runCli(cli, ['plan', specs, '--stack', 'dev'], work, join(work, 'plan.txt')), target, BASELINE.plan);
      const json = join(work, 'plan.json');
      const jsonRun = await runCli(cli, ['plan', specs, '--stack', 'dev', '--json'], work, json);
      const jsonMb = statSync(json).size / 1e6;
      // A whole document, not a cut one (parsing 300 MB here would weigh on the machine being measured).
      if (!wholeObject(json)) throw new Error(`bench: plan --json wrote no whole JSON document (${json})`);
      report(`plan --stack dev --json (${n})${label}`, jsonRun, target, BASELINE.json, `; wrote ${jsonMb.toFixed(0)} MB of JSON`);
      rmSync(json, { force: true });
    };
    await specRuns(root, '');
    // The same three by another build right after, on the same specs: a before/after pair under the same load.
    const planBase = process.env.MESHFORM_BENCH_PLAN_BASE;
    if (planBase) await specRuns(resolve(planBase), `, ${planBase}`);

    const { dir: catalogSpecs } = generateMesh(join(work, 'catalog-specs'), CATALOG_PRODUCTS, CHANNELS);
    // The generator's products repeat a handful of drawing shapes (each laid out once); in a real
    // mesh nearly every product's drawing differs: the varied mesh shows what that costs.
    const { dir: variedSpecs } = generateMesh(join(work, 'catalog-varied'), CATALOG_PRODUCTS, CHANNELS, { varied: true });
    const site = join(work, 'site');
    const catalogOf = async (cli: string, label: string, specsDir = catalogSpecs) => {
      rmSync(site, { recursive: true, force: true });
      const run = await runCli(cli, ['catalog', specsDir, '--out', site], work);
      const pages = /wrote (\d+) pages/.exec(run.stderr)?.[1] ?? '?';
      report(label, run, { s: 8, mb: 500 }, CATALOG_BASELINE, `; ${pages} pages`);
    };
    const thousand = CATALOG_PRODUCTS.toLocaleString('en-US');
    await catalogOf(root, `catalog (${thousand} products)`);
    // The same command by another build right after, on the same specs: a before/after pair under the same load.
    const base = process.env.MESHFORM_BENCH_CATALOG_BASE;
    if (base) await catalogOf(resolve(base), `catalog, ${base}`);
    await catalogOf(root, `catalog (${thousand} products, every drawing its own shape; not the target's mesh)`, variedSpecs);
    if (base) await catalogOf(resolve(base), `catalog, varied, ${base}`, variedSpecs);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
