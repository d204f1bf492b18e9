/**
 * The Docker engine, as meshform's container runtimes see it: whether one answers (its API's
 * `/_ping` over DOCKER_HOST or the default socket), and why not, in words a user can act on.
 * Containers meshform starts carry its labels, so they can be found and removed without Ryuk.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request, type RequestOptions } from 'node:http';

/** Every container meshform starts has this label; its value says who started it. */
export const LABEL_OWNER = 'org.meshform.owner';
/** The process that started a test container (a later sweep removes it once that process is gone). */
export const LABEL_PID = 'org.meshform.pid';
/** A `meshform dev` sandbox's name (the project folder's), on each of its containers. */
export const LABEL_SANDBOX = 'org.meshform.sandbox';
/** What a container is for: `kafka` or `registry`. */
export const LABEL_ROLE = 'org.meshform.role';
/** One start attempt's own value, so a container whose start failed can still be found and removed. */
export const LABEL_ATTEMPT = 'org.meshform.attempt';

export type ContainerOwner = 'testing' | 'dev';

export interface EngineProbe {
  ok: boolean;
  /** Where the engine was asked (a socket path or host:port). */
  where: string;
  /** Why it did not answer, when it did not. */
  reason?: string;
}

/** Where the Docker API is: DOCKER_HOST (unix:// or tcp://) or the default socket. */
export function engineAddress(env: NodeJS.ProcessEnv = process.env): { socketPath?: string; host?: string; port?: number; where: string } {
  const host = env.DOCKER_HOST;
  if (!host) return { socketPath: '/var/run/docker.sock', where: '/var/run/docker.sock' };
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length), where: host };
  const tcp = /^tcp:\/\/([^:/]+):(\d+)/.exec(host);
  if (tcp) return { host: tcp[1], port: Number(tcp[2]), where: host };
  return { where: host };
}

/** A request to the engine's API: status and body, or the transport error. */
function engineRequest(method: string, path: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ status: number; body: string } | { error: NodeJS.ErrnoException; where: string }> {
  const address = engineAddress(env);
  const options: RequestOptions = address.socketPath
    ? { socketPath: address.socketPath, path, method, timeout: timeoutMs }
    : { host: address.host, port: address.port, path, method, timeout: timeoutMs };
  return new Promise((resolve) => {
    const req = request(options, (res) => {
      const body: Buffer[] = [];
      res.on('data', (c: Buffer) => body.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(body).toString('utf8').trim() }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error, where: address.where }));
    req.end();
  });
}

/** Asks the engine's `/_ping` (2 s at most); never throws. */
export async function probeEngine(env: NodeJS.ProcessEnv = process.env, timeoutMs = 2000): Promise<EngineProbe> {
  const address = engineAddress(env);
  if (!address.socketPath && !address.host) {
    return { ok: false, where: address.where, reason: `DOCKER_HOST=${address.where} is neither unix:// nor tcp:// (meshform cannot ask it)` };
  }
  if (address.socketPath && !existsSync(address.socketPath)) {
    return { ok: false, where: address.where, reason: `no Docker engine: ${address.socketPath} does not exist (start dockerd, or set DOCKER_HOST)` };
  }
  const answer = await engineRequest('GET', '/_ping', env, timeoutMs);
  if ('error' in answer) {
    const e = answer.error;
    const why = e.code === 'EACCES' ? `permission denied on ${address.where} (add yourself to the docker group, or run as root)` : e.code === 'ECONNREFUSED' ? `nothing listens at ${address.where} (is dockerd running?)` : e.message;
    return { ok: false, where: address.where, reason: `the Docker engine does not answer: ${why}` };
  }
  if (answer.status === 200) return { ok: true, where: address.where };
  return { ok: false, where: address.where, reason: `the Docker engine at ${address.where} refused: HTTP ${answer.status} ${answer.body}`.trim() };
}

/** Whether the engine holds the image (false also when it cannot be asked). */
export async function engineHasImage(image: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const answer = await engineRequest('GET', `/images/${encodeURIComponent(image)}/json`, env, 5000);
  return !('error' in answer) && answer.status === 200;
}

/** Removes a container (by id or name) and its anonymous volumes, running or not; a missing one is fine. */
export async function removeContainer(idOrName: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const answer = await engineRequest('DELETE', `/containers/${encodeURIComponent(idOrName)}?force=true&v=true`, env, 30_000);
  if ('error' in answer) throw new Error(`cannot remove container ${idOrName}: ${answer.error.message}`);
  if (answer.status !== 204 && answer.status !== 404) throw new Error(`cannot remove container ${idOrName}: HTTP ${answer.status} ${answer.body}`);
}

// Containers this process started and has not removed: removed when it exits, whatever its callers did.
const live = new Set<string>();
let exitHook = false;

/** Removes the container (id or name) when this process exits, unless `forget` is called first. */
export function removeAtExit(idOrName: string): { forget(): void } {
  live.add(idOrName);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      if (!live.size) return;
      // Synchronous at exit: the Docker CLI where there is one (else `npm run -s peers -- sweep`, or Ryuk).
      spawnSync('docker', ['rm', '-f', '-v', ...live], { stdio: 'ignore', timeout: 20_000 });
    });
  }
  return { forget: () => live.delete(idOrName) };
}

/** Removes every container (and its anonymous volumes) carrying `label=value`, e.g. one whose start failed half-way. */
export async function removeLabelled(label: string, value: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`${label}=${value}`] }));
  const answer = await engineRequest('GET', `/containers/json?all=1&filters=${filters}`, env, 10_000);
  if ('error' in answer || answer.status !== 200) return;
  for (const c of JSON.parse(answer.body) as Array<{ Id: string }>) await removeContainer(c.Id, env).catch(() => undefined);
}
