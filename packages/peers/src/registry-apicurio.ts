/**
 * A real schema registry: Apicurio Registry from Maven Central (`io.apicurio:apicurio-registry-app`,
 * the `all` tar.gz), in-memory storage, serving the Confluent Schema Registry API under
 * `/apis/ccompat/v7`.
 *
 * Version: 3.0.9 is the newest served release that runs on the machine's Java 17 (3.3.x is built
 * for Java 21+). Apicurio's global compatibility default is NONE (no rule): a subject's level must be
 * set through the API (`PUT /config/<subject>`, stored as the artifact's COMPATIBILITY rule), which
 * meshform does for every subject it registers. The peer keeps the defaults of a fresh registry on
 * purpose, so the tests prove meshform configures what it relies on.
 *
 *   npm run -s peers -- registry --port <p> [--host 127.0.0.1]
 * prints `listening on HOST:PORT (Confluent-compatible API: http://HOST:PORT/apis/ccompat/v7)` once
 * the API answers, and runs until SIGINT/SIGTERM.
 */
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PeerError, type InstallContext, type Peer } from './peer';
import { requireTool, run, whenAncestorExits } from './process';

export const REGISTRY_VERSION = '3.0.9';
const VERSION = REGISTRY_VERSION;
const ARTIFACT = `io.apicurio:apicurio-registry-app:${VERSION}:tar.gz:all`;
export const CCOMPAT_PATH = '/apis/ccompat/v7';
const START_TIMEOUT_MS = 120_000;

async function install(ctx: InstallContext): Promise<void> {
  ctx.log(`fetching ${ARTIFACT} from Maven Central (~150 MB)`);
  await run('mvn', [
    '-q', '-B',
    `-Dmaven.repo.local=${join(ctx.sharedCache, 'm2')}`,
    // 2.8 tolerates the missing parent POM (io.apicurio:apicurio-registry:3.0.9 is not on Central); 3.x refuses the artifact.
    'org.apache.maven.plugins:maven-dependency-plugin:2.8:copy',
    `-Dartifact=${ARTIFACT}`,
    `-DoutputDirectory=${ctx.dir}`,
  ]);
  const archive = readdirSync(ctx.dir).find((f) => f.endsWith('.tar.gz'));
  if (!archive) throw new PeerError(`mvn copied no tar.gz for ${ARTIFACT}`);
  await run('tar', ['-xzf', join(ctx.dir, archive), '-C', ctx.dir]);
  rmSync(join(ctx.dir, archive));
  if (!runnerJar(ctx.dir)) throw new PeerError(`no *-runner.jar in ${ARTIFACT}`);
}

function runnerJar(home: string): string | undefined {
  const jar = readdirSync(home).find((f) => f.endsWith('-runner.jar'));
  return jar ? join(home, jar) : undefined;
}

/** The java command line that serves the registry on host:port (also used by testing/real-registry.ts). */
export function registryCommand(home: string, host: string, port: number): { command: string; args: string[] } {
  const jar = runnerJar(home);
  if (!jar) throw new PeerError(`${home} holds no Apicurio runner jar; reinstall: npm run -s peers -- install registry`);
  return {
    command: 'java',
    args: [
      '-Xmx512m',
      '-XX:TieredStopAtLevel=1',
      `-Dquarkus.http.host=${host}`,
      `-Dquarkus.http.port=${port}`,
      '-Dquarkus.banner.enabled=false',
      '-Dquarkus.log.level=WARN',
      '-Dquarkus.log.category."io.apicurio".level=WARN',
      '-Dquarkus.http.access-log.enabled=false',
      '-jar',
      jar,
    ],
  };
}

/** Resolves once `GET <ccompat>/subjects` answers 200, or rejects after the timeout / when `alive()` turns false. */
export async function waitForRegistry(baseUrl: string, alive: () => boolean, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive()) throw new PeerError('the registry process exited before it answered');
    try {
      const res = await fetch(`${baseUrl}/subjects`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new PeerError(`the registry did not answer at ${baseUrl} within ${timeoutMs / 1000} s`);
}

async function serve(home: string, argv: string[]): Promise<number> {
  let values: { port?: string; host?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean' } }, strict: true }));
  } catch (e) {
    throw new PeerError((e as Error).message);
  }
  if (values.help) {
    process.stdout.write('usage: npm run -s peers -- registry --port <p> [--host 127.0.0.1]\n  Apicurio Registry (in-memory); prints "listening on HOST:PORT (...)" when ready\n');
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new PeerError('--port <1-65535> is required');
  const host = values.host ?? '127.0.0.1';
  requireTool('java', 'apt-get install -y openjdk-17-jre-headless');
  const { command, args } = registryCommand(home, host, port);
  // The registry's own output goes to stderr: stdout carries only the `listening on` line.
  const child = spawn(command, args, { stdio: ['ignore', process.stderr, process.stderr] });
  let exited = false;
  const exit = new Promise<number>((resolve) => child.on('exit', (code, signal) => {
    exited = true;
    resolve(code ?? (signal ? 0 : 1));
  }));
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // As the kafka command: `npm run` does not pass SIGTERM on, so also stop when whoever started this is gone.
  whenAncestorExits(stop);
  const hostPort = `${host}:${port}`;
  try {
    await waitForRegistry(`http://${hostPort}${CCOMPAT_PATH}`, () => !exited);
  } catch (e) {
    stop();
    await exit;
    throw e;
  }
  process.stdout.write(`listening on ${hostPort} (Confluent-compatible API: http://${hostPort}${CCOMPAT_PATH})\n`);
  return exit;
}

export const registryPeer: Peer = {
  name: 'registry',
  version: VERSION,
  description: `Apicurio Registry ${VERSION} (in-memory), Confluent-compatible API at ${CCOMPAT_PATH}`,
  tools: {
    mvn: 'apt-get install -y maven',
    java: 'apt-get install -y openjdk-17-jre-headless',
    tar: 'apt-get install -y tar',
  },
  install,
  env: () => ({}),
  commands: { registry: serve },
};
