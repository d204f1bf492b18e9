/**
 * The peers' cache, outside the work tree: `<root>/<name>-<version>/` per installed peer, complete
 * only when it holds `.installed` (written last, after an atomic rename from a temporary folder).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Peer } from './peer';

const MARKER = '.installed';

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MESHFORM_PEERS_CACHE) return env.MESHFORM_PEERS_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'meshform-peers');
}

/** Maven repository, Go module and build caches shared by every peer and kept across versions. */
export function sharedCacheDir(root = cacheRoot()): string {
  return join(root, 'shared');
}

/**
 * A peer's version: its pinned upstream version and a short hash of `parts`, the peer's own files
 * and texts that shape the install, so changing any of them installs into a new folder.
 */
export function hashedVersion(pinned: string, parts: ReadonlyArray<string | Buffer>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return `${pinned}-${hash.digest('hex').slice(0, 8)}`;
}

export function peerHome(peer: Pick<Peer, 'name' | 'version'>, root = cacheRoot()): string {
  return join(root, `${peer.name}-${peer.version}`);
}

export function isInstalled(peer: Pick<Peer, 'name' | 'version'>, root = cacheRoot()): boolean {
  return existsSync(join(peerHome(peer, root), MARKER));
}

export function installedAt(peer: Pick<Peer, 'name' | 'version'>, root = cacheRoot()): string | undefined {
  return isInstalled(peer, root) ? peerHome(peer, root) : undefined;
}

/** Runs `fill` on a fresh temporary folder and moves it into place only when it succeeds. */
export async function installAtomically(
  peer: Pick<Peer, 'name' | 'version'>,
  fill: (tmp: string) => Promise<void>,
  root = cacheRoot(),
): Promise<string> {
  const home = peerHome(peer, root);
  const tmp = `${home}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    await fill(tmp);
    writeFileSync(join(tmp, MARKER), `${JSON.stringify({ name: peer.name, version: peer.version, installedAt: new Date().toISOString() })}\n`);
    rmSync(home, { recursive: true, force: true });
    renameSync(tmp, home);
    return home;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
