/**
 * What installing meshform costs, from the packed tarballs (`npm pack` of meshform and the test
 * broker it depends on), into an empty project, as users install it:
 *  - a product repository (validate, breaking, `meshform/testing`): meshform alone; target <= 50 MB
 *    of node_modules;
 *  - a mesh repository (`pulumi up`): meshform plus the Pulumi SDK, its optional peer dependencies.
 * npm takes packages from its cache (--prefer-offline), so time is install work, not download.
 * Baseline (before the Pulumi SDK became optional and the AsyncAPI parser a development-only
 * oracle): 274 MB and 25 s for every repository.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const PULUMI_SDK = ['@pulumi/pulumi', '@pulumi/gcp', '@pulumi/kubernetes'];

function run(command: string, args: string[], cwd: string): string {
  const res = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_ignore_scripts: 'true' } });
  if (res.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

/** Bytes on disk under a folder (files and symlinks themselves, not their targets). */
function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    total += entry.isDirectory() ? sizeOf(full) : statSync(full, { throwIfNoEntry: false })?.size ?? 0;
  }
  return total;
}

export async function benchInstall(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'meshform-bench-install-'));
  try {
    console.log('== installing meshform from its packed tarballs ==');
    const tarballs = [[], ['-w', '@meshform/kafka-test-broker']].map((args) => {
      const [{ filename }] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work, ...args], ROOT)) as { filename: string }[];
      return join(work, filename);
    });
    const own = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    for (const [kind, extra, target] of [
      ['product repository', [] as string[], 50],
      ['mesh repository (+ Pulumi SDK)', PULUMI_SDK.map((p) => `${p}@${own.devDependencies[p]}`), undefined],
    ] as const) {
      const dir = mkdtempSync(join(work, 'project-'));
      writeFileSync(join(dir, 'package.json'), '{"name": "bench-install", "private": true}\n');
      const started = Date.now();
      run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs, ...extra], dir);
      const seconds = (Date.now() - started) / 1000;
      const mb = sizeOf(join(dir, 'node_modules')) / 1e6;
      const count = packagesUnder(join(dir, 'node_modules'));
      const verdict = target === undefined ? '' : `  target <= ${target} MB: ${mb <= target ? 'met' : 'NOT met'}`;
      console.log(`${kind.padEnd(32)} ${mb.toFixed(1).padStart(6)} MB  ${String(count).padStart(4)} packages  ${seconds.toFixed(1).padStart(5)} s${verdict}`);
    }
    console.log('baseline (every repository, before):  274.0 MB  25.0 s');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Installed packages: folders with a package.json under node_modules (scoped and nested ones too). */
function packagesUnder(nodeModules: string): number {
  let count = 0;
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const full = join(nodeModules, entry.name);
    if (entry.name.startsWith('@')) {
      count += packagesUnder(full);
      continue;
    }
    if (statSync(join(full, 'package.json'), { throwIfNoEntry: false })) count += 1;
    if (statSync(join(full, 'node_modules'), { throwIfNoEntry: false })) count += packagesUnder(join(full, 'node_modules'));
  }
  return count;
}
