/** Child processes for installs: tools looked up on PATH first, output passed to stderr. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findProgram } from '../../../src/local-host';
import { PeerError } from './peer';

/** The absolute path of `tool` on PATH, or a PeerError naming it and how to get it. */
export function requireTool(tool: string, howToGet: string, env: NodeJS.ProcessEnv = process.env): string {
  const path = findProgram(tool, env);
  if (!path) throw new PeerError(`${tool} is not on PATH: ${howToGet}`);
  return path;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Prefix for each line of the child's output on stderr; undefined: output is dropped unless it fails. */
  echo?: string;
}

/** Runs a command to completion; on failure the error carries its last output lines. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const take = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
        if (options.echo !== undefined) process.stderr.write(`${options.echo}${line}\n`);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (e) => reject(new PeerError(`${command}: ${e.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new PeerError(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${tail.join('\n')}`));
    });
  });
}

/** The parent process id of `pid`, from /proc (Linux); undefined where it cannot be read. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Calls `gone` once when a process that started this one (parent, grandparent, ... up to init)
 * exits. `npm run` passes SIGTERM to its shell, which does not pass it on; a foreground command
 * watches its ancestors so it still stops when whoever started it is gone. Linux only (/proc);
 * elsewhere it watches nothing. Returns a function that stops watching.
 */
export function whenAncestorExits(gone: () => void, intervalMs = 1000): () => void {
  const ancestors: number[] = [];
  for (let pid = process.ppid; pid > 1 && ancestors.length < 16; pid = parentOf(pid) ?? 0) ancestors.push(pid);
  const timer = setInterval(() => {
    for (const pid of ancestors) {
      try {
        process.kill(pid, 0);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ESRCH') continue;
        clearInterval(timer);
        gone();
        return;
      }
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** The environment for building Go peers: the shared module and build caches, no toolchain download, no workspace. */
export function goEnv(sharedCache: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOMODCACHE: join(sharedCache, 'go', 'mod'),
    GOCACHE: join(sharedCache, 'go', 'build'),
    GOFLAGS: '-mod=mod -buildvcs=false',
    GOTOOLCHAIN: 'local',
    GOWORK: 'off',
  };
}
