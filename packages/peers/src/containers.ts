/**
 * The container peer: a Docker engine on this machine and the images meshform's container runtimes
 * run, built here (no image can be pulled from a registry on this kind of machine):
 *   - a base image from Debian packages (`mmdebstrap` reading the machine's own apt sources file at
 *     run time, piped into `docker import`), with a Java runtime;
 *   - Kafka from the kafka peer's jars, configured like the official apache/kafka image (containers/kafka/);
 *   - Apicurio Registry from the registry peer (containers/registry/);
 *   - the three Crossplane functions the crossplane peer builds (containers/function/), for crank's
 *     Docker runtime.
 * Each image carries the label `org.meshform.inputs`, a hash of what it is built from, and is
 * rebuilt only when that changes. Installing starts `dockerd` when no engine answers (as root; log and
 * pid file under the peers cache) and installs Debian's docker.io and mmdebstrap when missing.
 *
 *   npm run -s peers -- install containers
 *   npm run -s peers -- sweep [--all]     remove containers meshform's test runs left behind
 *
 * The engine and the images live outside the peer's folder: `check` tells when they are gone, and
 * `install` then builds again what is missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LABEL_OWNER, LABEL_PID } from '../../../src/containers/engine';
import { processAlive } from '../../../src/local-host';
import { cacheRoot, hashedVersion, installedAt } from './cache';
import { BINARIES, PINS, crossplane } from './crossplane';
import { KAFKA_VERSION, kafkaPeer } from './kafka';
import { PeerError, type InstallContext, type Peer } from './peer';
import { run } from './process';
import { REGISTRY_VERSION, registryPeer } from './registry-apicurio';

const FILES = join(__dirname, 'containers');
const INPUTS_LABEL = 'org.meshform.inputs';
const JAVA_PACKAGES = ['openjdk-17-jre-headless', 'ca-certificates'];

export const IMAGES = {
  base: 'meshform.local/debian-java:17',
  kafka: `meshform.local/kafka:${KAFKA_VERSION}`,
  registry: `meshform.local/apicurio-registry:${REGISTRY_VERSION}`,
} as const;

/** The Crossplane functions' images, by the function's binary (= package) name. */
export function functionImages(): Record<string, string> {
  return Object.fromEntries(BINARIES.filter((b) => b.bin.startsWith('function-')).map((b) => [b.bin, `meshform.local/${b.bin}:${b.version}`]));
}

/** Where dockerd's log and pid file go when this peer starts it. */
export function engineDir(): string {
  return join(cacheRoot(), 'docker-engine');
}

// ---------------------------------------------------------------------------------------------
// The engine

function docker(args: string[], timeoutMs = 15_000): { ok: boolean; out: string; err: string } {
  const res = spawnSync('docker', args, { encoding: 'utf8', timeout: timeoutMs });
  return { ok: res.status === 0, out: (res.stdout ?? '').trim(), err: (res.stderr ?? res.error?.message ?? '').trim() };
}

function onPath(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).status === 0;
}

/** Why the engine does not answer the Docker CLI, or undefined when it does. */
export function engineProblem(): string | undefined {
  if (!onPath('docker')) return 'the docker CLI is not on PATH (apt-get install docker.io)';
  const version = docker(['version', '--format', '{{.Server.Version}}'], 10_000);
  return version.ok ? undefined : `the Docker engine does not answer: ${version.err.split('\n').pop()}`;
}

const isRoot = () => process.getuid?.() === 0;

async function ensurePackages(ctx: InstallContext): Promise<void> {
  const missing = [onPath('dockerd') && onPath('docker') ? undefined : 'docker.io', onPath('mmdebstrap') ? undefined : 'mmdebstrap'].filter((p): p is string => !!p);
  if (!missing.length) return;
  if (!isRoot() || !onPath('apt-get')) throw new PeerError(`containers needs ${missing.join(' and ')}: apt-get install -y ${missing.join(' ')} (as root)`);
  ctx.log(`installing ${missing.join(', ')} with apt-get`);
  await run('apt-get', ['update', '-qq']);
  await run('apt-get', ['install', '-y', '-qq', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** Starts dockerd (detached, published ports on 127.0.0.1 by default) when no engine answers. */
async function ensureEngine(ctx: InstallContext): Promise<void> {
  if (!engineProblem()) return;
  if (process.env.DOCKER_HOST) throw new PeerError(`DOCKER_HOST=${process.env.DOCKER_HOST} does not answer: ${engineProblem()}`);
  if (!isRoot()) throw new PeerError(`${engineProblem()}; start dockerd as root (or run this install as root to have it started)`);
  const dir = engineDir();
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, 'dockerd.log');
  const pidFile = join(dir, 'dockerd.pid');
  ctx.log(`starting dockerd (log ${logFile})`);
  const log = openSync(logFile, 'a');
  // --ip: a port published without a host address binds to loopback only.
  const child = spawn('dockerd', ['--ip', '127.0.0.1', '--pidfile', pidFile], { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = signal ?? `exit ${code}`));
  child.unref();
  const deadline = Date.now() + 60_000;
  while (engineProblem()) {
    const tail = () => readFileSync(logFile, 'utf8').trim().split('\n').slice(-8).join('\n');
    if (exited) throw new PeerError(`dockerd stopped (${exited}); its log (${logFile}) ends:\n${tail()}`);
    if (Date.now() > deadline) throw new PeerError(`dockerd did not answer within 60 s; its log (${logFile}) ends:\n${tail()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  ctx.log(`dockerd answers (pid ${readFileSync(pidFile, 'utf8').trim()})`);
}

// ---------------------------------------------------------------------------------------------
// Images

function labelOf(image: string): string | undefined {
  const res = docker(['image', 'inspect', '--format', `{{ index .Config.Labels "${INPUTS_LABEL}" }}`, image]);
  return res.ok ? res.out : undefined;
}

function imageId(image: string): string {
  const res = docker(['image', 'inspect', '--format', '{{.Id}}', image]);
  if (!res.ok) throw new PeerError(`image ${image} is not there: ${res.err}`);
  return res.out;
}

function hash(parts: Array<string | Buffer>): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 16);
}

/** Every file under `dir`, by relative path and content, in a stable order. */
function filesOf(dir: string, prefix = ''): Array<string | Buffer> {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? filesOf(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`, readFileSync(join(dir, e.name))]));
}

/** The apt sources files of this machine that name its own Debian release, and that release's code name. */
export function aptSources(): { suite: string; files: string[] } {
  const release = readFileSync('/etc/os-release', 'utf8');
  const suite = /^VERSION_CODENAME=(.+)$/m.exec(release)?.[1]?.replace(/"/g, '');
  if (!suite) throw new PeerError('/etc/os-release names no VERSION_CODENAME: the base image is built for the machine\'s own Debian release');
  if (process.env.MESHFORM_APT_SOURCES) return { suite, files: process.env.MESHFORM_APT_SOURCES.split(':') };
  const candidates = ['/etc/apt/sources.list', ...(existsSync('/etc/apt/sources.list.d') ? readdirSync('/etc/apt/sources.list.d').sort().map((f) => join('/etc/apt/sources.list.d', f)) : [])]
    .filter((f) => /\.(list|sources)$/.test(f) && existsSync(f));
  const namesSuite = (text: string) =>
    text.split('\n').some((line) => {
      const deb822 = /^Suites:\s*(.+)$/i.exec(line);
      if (deb822) return deb822[1].split(/\s+/).includes(suite);
      const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?\S+\s+(\S+)/.exec(line.trim());
      return oneLine?.[1] === suite;
    });
  const files = candidates.filter((f) => namesSuite(readFileSync(f, 'utf8')));
  if (!files.length) throw new PeerError(`no apt sources file under /etc/apt names ${suite} (set MESHFORM_APT_SOURCES to one)`);
  return { suite, files };
}

async function buildBase(ctx: InstallContext): Promise<string> {
  const { suite, files } = aptSources();
  const args = ['--variant=apt', `--include=${JAVA_PACKAGES.join(',')}`, '--dpkgopt=path-exclude=/usr/share/doc/*', '--dpkgopt=path-exclude=/usr/share/locale/*'];
  const inputs = hash([suite, ...args, ...files.flatMap((f) => [f, readFileSync(f)])]);
  if (labelOf(IMAGES.base) === inputs) return imageId(IMAGES.base);
  const tar = join(ctx.dir, 'base.tar');
  ctx.log(`building ${IMAGES.base} from Debian ${suite} packages (${files.join(', ')}); takes minutes`);
  await run('mmdebstrap', [...args, suite, tar, ...files], { echo: '  mmdebstrap: ' });
  await run('docker', ['import', '--change', 'ENV LANG=C.UTF-8', '--change', `LABEL ${INPUTS_LABEL}=${inputs}`, tar, IMAGES.base]);
  rmSync(tar, { force: true });
  return imageId(IMAGES.base);
}

/** `docker build` of one image from a context folder, unless an image with these inputs exists. */
async function buildImage(ctx: InstallContext, name: string, context: (dir: string) => void, inputs: Array<string | Buffer>, buildArgs: Record<string, string>): Promise<void> {
  const label = hash(inputs);
  if (labelOf(name) === label) {
    ctx.log(`${name}: up to date`);
    return;
  }
  const dir = join(ctx.dir, 'build', name.replace(/[^A-Za-z0-9.-]+/g, '_'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  context(dir);
  const started = Date.now();
  ctx.log(`building ${name}`);
  const args = ['build', '--quiet', '--label', `${INPUTS_LABEL}=${label}`, '-t', name, ...Object.entries(buildArgs).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]), dir];
  // The classic builder: Debian's engine has no BuildKit component.
  await run('docker', args, { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
  rmSync(dir, { recursive: true, force: true });
  ctx.log(`built ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function requirePeerHome(peer: Peer): string {
  const home = installedAt(peer);
  if (!home) throw new PeerError(`the ${peer.name} peer is not installed: npm run -s peers -- install ${peer.name}`);
  return home;
}

async function install(ctx: InstallContext): Promise<void> {
  await ensurePackages(ctx);
  await ensureEngine(ctx);
  const base = await buildBase(ctx);
  const baseArg = { BASE: IMAGES.base };

  const kafkaHome = requirePeerHome(kafkaPeer);
  const libs = join(kafkaHome, 'libs');
  const libNames = readdirSync(libs).sort();
  await buildImage(
    ctx,
    IMAGES.kafka,
    (dir) => {
      cpSync(join(FILES, 'kafka'), dir, { recursive: true });
      cpSync(libs, join(dir, 'libs'), { recursive: true });
    },
    [base, ...filesOf(join(FILES, 'kafka')), ...libNames.flatMap((f) => [f, String(statSync(join(libs, f)).size)])],
    baseArg,
  );

  const registryHome = requirePeerHome(registryPeer);
  await buildImage(
    ctx,
    IMAGES.registry,
    (dir) => {
      cpSync(join(FILES, 'registry'), dir, { recursive: true });
      mkdirSync(join(dir, 'apicurio'));
      for (const f of readdirSync(registryHome).filter((f) => !f.startsWith('.'))) cpSync(join(registryHome, f), join(dir, 'apicurio', f), { recursive: true });
    },
    [base, ...filesOf(join(FILES, 'registry')), REGISTRY_VERSION],
    baseArg,
  );

  const crossplaneHome = requirePeerHome(crossplane);
  for (const [bin, image] of Object.entries(functionImages())) {
    const binary = join(crossplaneHome, 'bin', bin);
    await buildImage(
      ctx,
      image,
      (dir) => {
        cpSync(join(FILES, 'function'), dir, { recursive: true });
        cpSync(binary, join(dir, 'function'));
      },
      [base, ...filesOf(join(FILES, 'function')), bin, readFileSync(binary)],
      { ...baseArg, FUNCTION: bin },
    );
  }
  writeFileSync(join(ctx.dir, 'images.json'), `${JSON.stringify({ ...IMAGES, functions: functionImages() }, null, 2)}\n`);
}

/** Why an installed container peer cannot serve now (no engine, an image gone), or undefined. */
function check(): string | undefined {
  const engine = engineProblem();
  if (engine) return `${engine} (npm run -s peers -- install containers starts it)`;
  const images = [IMAGES.kafka, IMAGES.registry, ...Object.values(functionImages())];
  const gone = images.filter((image) => labelOf(image) === undefined);
  return gone.length ? `image ${gone.join(', ')} not in the engine (npm run -s peers -- install containers builds it)` : undefined;
}

// ---------------------------------------------------------------------------------------------
// sweep

/** Removes containers meshform/testing or crank's Docker runtime started whose process is gone (all of meshform's with --all), with their volumes. */
async function sweep(_home: string, argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write('usage: npm run -s peers -- sweep [--all]\n  removes the containers (and their volumes) of meshform/testing runs and crank renders whose process is gone;\n  --all: every container meshform started, `meshform dev` sandboxes included\n');
    return 0;
  }
  const unknown = argv.filter((a) => a !== '--all');
  if (unknown.length) throw new PeerError(`sweep: unknown argument ${unknown.join(' ')} (usage: sweep [--all])`);
  const problem = engineProblem();
  if (problem) throw new PeerError(problem);
  const listed = docker(['ps', '-a', '--filter', `label=${LABEL_OWNER}`, '--format', `{{.ID}} {{.Label "${LABEL_OWNER}"}} {{.Label "${LABEL_PID}"}} {{.Names}}`]);
  if (!listed.ok) throw new PeerError(`docker ps failed: ${listed.err}`);
  const rows = listed.out.split('\n').filter(Boolean).map((l) => l.split(' '));
  // crank's Docker runtime names the function containers meshform asks for (it sets no labels): meshform-crank-<pid>-...
  const crank = docker(['ps', '-a', '--filter', 'name=meshform-crank-', '--format', '{{.ID}} {{.Names}}']);
  if (!crank.ok) throw new PeerError(`docker ps failed: ${crank.err}`);
  for (const line of crank.out.split('\n').filter(Boolean)) {
    const [id, name] = line.split(' ');
    const pid = /^meshform-crank-(\d+)-/.exec(name)?.[1];
    if (pid) rows.push([id, 'testing', pid, name]);
  }
  const doomed = rows.filter(([, owner, pid]) => argv.includes('--all') || (owner === 'testing' && !(Number(pid) > 0 && processAlive(Number(pid)))));
  if (doomed.length) {
    const removed = docker(['rm', '-f', '-v', ...doomed.map(([id]) => id)], 60_000);
    if (!removed.ok) throw new PeerError(`docker rm failed: ${removed.err}`);
  }
  process.stderr.write(`sweep: removed ${doomed.length} container(s)${doomed.length ? `: ${doomed.map((r) => r[3]).join(', ')}` : ''}; ${rows.length - doomed.length} kept\n`);
  return 0;
}

export const containersPeer: Peer = {
  name: 'containers',
  version: hashedVersion('1', [readFileSync(__filename), ...filesOf(FILES)]),
  description: `a Docker engine and images built here: Kafka ${KAFKA_VERSION}, Apicurio Registry ${REGISTRY_VERSION}, Crossplane functions (crank ${PINS.crossplane})`,
  tools: {},
  requires: ['kafka', 'registry', 'crossplane'],
  install,
  check,
  env: () => ({
    vars: {
      MESHFORM_KAFKA_IMAGE: IMAGES.kafka,
      MESHFORM_REGISTRY_IMAGE: IMAGES.registry,
      MESHFORM_CROSSPLANE_FUNCTION_IMAGES: Object.entries(functionImages()).map(([fn, image]) => `${fn}=${image}`).join(','),
      // testcontainers' Ryuk image cannot be had here: meshform removes its containers itself.
      TESTCONTAINERS_RYUK_DISABLED: 'true',
    },
  }),
  commands: { sweep },
};
