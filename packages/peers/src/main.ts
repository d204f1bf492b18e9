/**
 * `npm run -s peers -- <verb>`: fetch, build and run the real peers the suite verifies against.
 *   install [name..]   fetch/build into the cache (all peers when none named); idempotent
 *   env                `export` lines for what is installed; nothing else on stdout
 *   list [--json]      every peer, its pinned version and whether it is installed
 *   <command> [args]   a peer's foreground command (e.g. `kafka --port 9092`)
 * Exit codes: 0 done, 1 a command failed, 2 usage error or a peer/tool missing.
 */
import { cacheRoot, installAtomically, installedAt, sharedCacheDir } from './cache';
import { PeerError, type Peer } from './peer';
import { requireTool } from './process';
import { PEERS, findPeer } from './registry';

const USAGE = `usage: npm run -s peers -- <verb> [args]
  install [name..]   fetch or build peers into ${cacheRoot()} (all when none named)
  env                print export lines (PATH, variables) for the installed peers
  list [--json]      peers, pinned versions, installed or not
${PEERS.flatMap((p) => Object.keys(p.commands ?? {}).map((c) => `  ${c.padEnd(18)} ${p.name}: see \`${c} --help\``)).join('\n')}
peers: ${PEERS.map((p) => `${p.name} ${p.version}`).join(', ') || '(none)'}`;

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return verb ? 0 : 2;
  }
  try {
    if (verb === 'install') return await install(rest);
    if (verb === 'env') return printEnv();
    if (verb === 'list') return list(rest.includes('--json'));
    const owner = PEERS.find((p) => p.commands && Object.hasOwn(p.commands, verb));
    if (!owner) throw new PeerError(`unknown verb "${verb}"\n${USAGE}`);
    const home = installedAt(owner);
    if (!home) throw new PeerError(`${owner.name} ${owner.version} is not installed: npm run -s peers -- install ${owner.name}`);
    return await owner.commands![verb](home, rest);
  } catch (e) {
    if (e instanceof PeerError) {
      process.stderr.write(`peers: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

async function install(names: string[]): Promise<number> {
  const unknown = names.filter((n) => !findPeer(n));
  if (unknown.length) throw new PeerError(`unknown peer ${unknown.join(', ')}; known: ${PEERS.map((p) => p.name).join(', ')}`);
  // Named peers come with the peers they build from, in the registry's order.
  const wanted = new Set<string>();
  const want = (name: string) => {
    if (wanted.has(name)) return;
    for (const required of findPeer(name)?.requires ?? []) want(required);
    wanted.add(name);
  };
  for (const name of names.length ? names : PEERS.map((p) => p.name)) want(name);
  const chosen: Peer[] = PEERS.filter((p) => wanted.has(p.name));
  for (const peer of chosen) {
    const existing = installedAt(peer);
    const unusable = existing ? peer.check?.(existing) : undefined;
    if (existing && !unusable) {
      process.stderr.write(`${peer.name} ${peer.version}: installed at ${existing}\n`);
      continue;
    }
    if (unusable) process.stderr.write(`${peer.name} ${peer.version}: installed, but ${unusable}\n`);
    for (const [tool, howToGet] of Object.entries(peer.tools)) requireTool(tool, `${peer.name} needs it: ${howToGet}`);
    const started = Date.now();
    process.stderr.write(`${peer.name} ${peer.version}: installing (${peer.description})\n`);
    const home = await installAtomically(peer, (dir) =>
      peer.install({ dir, sharedCache: sharedCacheDir(), log: (m) => process.stderr.write(`${peer.name}: ${m}\n`) }),
    );
    process.stderr.write(`${peer.name} ${peer.version}: installed at ${home} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  return 0;
}

function printEnv(): number {
  const path: string[] = [];
  const lines: string[] = [];
  for (const peer of PEERS) {
    const home = installedAt(peer);
    if (!home) continue;
    const env = peer.env(home);
    path.push(...(env.path ?? []));
    lines.push(`export MESHFORM_PEER_${peer.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_HOME=${shellQuote(home)}`);
    for (const [key, value] of Object.entries(env.vars ?? {})) lines.push(`export ${key}=${shellQuote(value)}`);
  }
  if (path.length) lines.push(`export PATH=${path.map(shellQuote).join(':')}:"$PATH"`);
  process.stdout.write(lines.length ? `${lines.join('\n')}\n` : '');
  return 0;
}

function list(json: boolean): number {
  const rows = PEERS.map((p) => ({ name: p.name, version: p.version, description: p.description, home: installedAt(p) ?? null }));
  if (json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else for (const r of rows) process.stdout.write(`${r.name.padEnd(12)} ${r.version.padEnd(12)} ${r.home ? `installed ${r.home}` : 'not installed'}  ${r.description}\n`);
  return 0;
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`peers: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
