/**
 * Whether a peer is installed, for tests and tools: read from the cache itself, never from the
 * doubles the tests compare against.
 */
import { installedAt } from './cache';
import { findPeer } from './registry';
import type { PeerEnv } from './peer';

export interface PeerStatus {
  name: string;
  version?: string;
  /** The installed folder, when installed. */
  home?: string;
  env?: PeerEnv;
  /** Why it is not usable, when not installed. */
  missing?: string;
}

export function peerStatus(name: string): PeerStatus {
  const peer = findPeer(name);
  if (!peer) return { name, missing: `meshform has no peer named ${name}` };
  const home = installedAt(peer);
  if (!home) return { name, version: peer.version, missing: `${name} ${peer.version} is not installed (npm run -s peers -- install ${name})` };
  const unusable = peer.check?.(home);
  if (unusable) return { name, version: peer.version, missing: `${name} ${peer.version}: ${unusable}` };
  return { name, version: peer.version, home, env: peer.env(home) };
}

/** process.env with the peer's PATH entries and variables added (for child processes). */
export function envWithPeer(status: PeerStatus, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env = { ...base, ...(status.env?.vars ?? {}) };
  const extra = status.env?.path ?? [];
  if (extra.length) env.PATH = [...extra, base.PATH ?? ''].join(':');
  return env;
}
