/**
 * meshform as users get it: `npm pack` of this checkout (dist/ is built by jest's global setup),
 * installed with npm into a temporary project outside the repository. The install is kept per
 * tarball content in the system's temp folder, so suites and later runs share it (npm takes the
 * dependencies from its cache: --prefer-offline). Working folders link its node_modules.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
export const INSTALL_TIMEOUT_MS = 600_000;

export interface PackedInstall {
  tarball: string;
  /** The project folder npm installed into: `<dir>/node_modules/meshform` is the package. */
  dir: string;
  nodeModules: string;
}

let packed: Promise<PackedInstall> | undefined;

/** Packs once per test process and installs once per tarball content. */
export function packedMeshform(): Promise<PackedInstall> {
  packed ??= packAndInstall();
  return packed;
}

function run(command: string, args: string[], cwd: string, timeout = INSTALL_TIMEOUT_MS): string {
  const res = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_ignore_scripts: 'true' } });
  if (res.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${res.signal ?? res.status}):\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

async function packAndInstall(): Promise<PackedInstall> {
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshform-pack-'));
  const [{ filename }] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', packDir], ROOT)) as { filename: string }[];
  const tarball = path.join(packDir, filename);
  const listed = run('tar', ['tzf', tarball], packDir);
  if (!listed.includes('package/dist/src/index.js')) throw new Error(`${tarball} has no dist/: run npm run build first (or a build was running while packing)`);
  const sha = createHash('sha256').update(fs.readFileSync(tarball)).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `meshform-packed-${sha}`);
  const ready = path.join(dir, '.ready');
  const lock = `${dir}.lock`;
  while (!fs.existsSync(ready)) {
    try {
      fs.mkdirSync(lock);
    } catch {
      await new Promise((r) => setTimeout(r, 1000)); // another test process is installing it
      continue;
    }
    try {
      if (!fs.existsSync(ready)) {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'meshform-packed-install', private: true }, null, 2)}\n`);
        run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], dir);
        fs.writeFileSync(ready, `${tarball}\n`);
      }
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
  return { tarball, dir, nodeModules: path.join(dir, 'node_modules') };
}

/** A fresh folder outside the checkout whose node_modules is the packed install's. */
export function workingFolder(install: PackedInstall, prefix = 'meshform-work-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.symlinkSync(install.nodeModules, path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Copies a folder tree (specs, stacks, an example project). */
export function copyTree(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}
