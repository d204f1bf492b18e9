/** Child processes for installs: tools looked up on PATH first, output passed to stderr. */
import { spawn, spawnSync } from 'node:child_process';
import { PeerError } from './peer';

/** The absolute path of `tool` on PATH, or a PeerError naming it and how to get it. */
export function requireTool(tool: string, howToGet: string, env: NodeJS.ProcessEnv = process.env): string {
  const found = spawnSync('sh', ['-c', `command -v "$1"`, 'sh', tool], { env, encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || !path) throw new PeerError(`${tool} is not on PATH: ${howToGet}`);
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
