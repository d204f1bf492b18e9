/**
 * meshform as users get it: `npm pack` of this checkout's packages (meshform and the test broker it
 * depends on; dist/ is built by jest's global setup), installed with npm into a temporary project
 * outside the repository, as a product repository installs it (`product`: meshform alone; `product-containers`: and testcontainers) or as a
 * mesh repository does (`mesh`: plus the Pulumi SDK packages, meshform's optional peers). An
 * install is kept per tarball content in the system's temp folder, so suites and later runs share
 * it (npm takes the dependencies from its cache: --prefer-offline). Working folders link its
 * node_modules.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
export const INSTALL_TIMEOUT_MS = 600_000;

export type InstallKind = 'product' | 'product-containers' | 'mesh';

/** What a mesh repository adds to meshform: the optional peer dependencies `meshform/pulumi` needs. */
export const PULUMI_PEERS = ['@pulumi/pulumi', '@pulumi/gcp', '@pulumi/kubernetes'];
/** What a product repository testing on containers adds: the optional peer meshform/testing's container backend needs. */
export const CONTAINER_PEERS = ['testcontainers'];

export interface PackedInstall {
  /** meshform's tarball. */
  tarball: string;
  /** Every tarball installed (meshform's and the workspace packages it depends on). */
  tarballs: string[];
  /** The project folder npm installed into: `<dir>/node_modules/meshform` is the package. */
  dir: string;
  nodeModules: string;
}

let packed: Promise<string[]> | undefined;
const installs = new Map<InstallKind, Promise<PackedInstall>>();

/** Packs once per test process and installs once per tarball content and kind (default: a mesh repository's). */
export function packedMeshform(kind: InstallKind = 'mesh'): Promise<PackedInstall> {
  packed ??= pack();
  if (!installs.has(kind)) installs.set(kind, packed.then((tarballs) => install(tarballs, kind)));
  return installs.get(kind)!;
}

function run(command: string, args: string[], cwd: string, timeout = INSTALL_TIMEOUT_MS): string {
  const res = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_ignore_scripts: 'true' } });
  if (res.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${res.signal ?? res.status}):\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

/** meshform's tarball first, then the workspace packages it depends on. */
async function pack(): Promise<string[]> {
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshform-pack-'));
  const packOf = (args: string[], built: string) => {
    const [{ filename }] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', packDir, ...args], ROOT)) as { filename: string }[];
    const tarball = path.join(packDir, filename);
    if (!run('tar', ['tzf', tarball], packDir).includes(`package/${built}`)) {
      throw new Error(`${tarball} has no ${built}: run npm run build first (or a build was running while packing)`);
    }
    return tarball;
  };
  return [packOf([], 'dist/src/index.js'), packOf(['-w', '@meshform/kafka-test-broker'], 'dist/index.js')];
}

async function install(tarballs: string[], kind: InstallKind): Promise<PackedInstall> {
  const hash = createHash('sha256').update(kind);
  for (const t of tarballs) hash.update(fs.readFileSync(t));
  const dir = path.join(os.tmpdir(), `meshform-packed-${kind}-${hash.digest('hex').slice(0, 16)}`);
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
        // The Pulumi SDK at the versions this checkout develops against.
        const own = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
        // A product repository that tests on containers adds testcontainers, as the example product repo's package.json has it.
        const extra = kind === 'mesh' ? PULUMI_PEERS : kind === 'product-containers' ? CONTAINER_PEERS : [];
        const peers = extra.map((name) => `${name}@${own.devDependencies[name]}`);
        run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs, ...peers], dir);
        fs.writeFileSync(ready, `${tarballs.join('\n')}\n`);
      }
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
  return { tarball: tarballs[0], tarballs, dir, nodeModules: path.join(dir, 'node_modules') };
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
