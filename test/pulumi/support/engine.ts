/**
 * Pulumi's real engine (the `pulumi` peer) run as users run it: a project folder outside the
 * checkout with meshform installed from the packed package, a local file backend, a passphrase,
 * and the recording stand-ins for the gcp / kubernetes plugins attached through
 * PULUMI_DEBUG_PROVIDERS.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { envWithPeer } from '@meshform/peers/testing/peers';
import type { PeerStatus } from '@meshform/peers/src/status';
import { ROOT } from '../../support/packed';
import type { RecordedCall } from '@meshform/peers/src/pulumi/recording-provider';

export const PASSPHRASE = 'meshform-engine-test-passphrase';

export interface PulumiResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface Engine {
  /** Runs `pulumi <args>` in `cwd`; `expectStatus` (default 0) is asserted with the output in the message. */
  pulumi(args: string[], cwd: string, expectStatus?: number | null): PulumiResult;
  /**
   * The same without blocking this process (for a Kafka served in-process, as the bench does).
   * `signal`: on abort the run is interrupted as Ctrl-C does (SIGINT) and its result awaited.
   */
  pulumiAsync(args: string[], cwd: string, expectStatus?: number | null, options?: { signal?: AbortSignal }): Promise<PulumiResult>;
  env: NodeJS.ProcessEnv;
  backend: string;
}

function checked(args: string[], cwd: string, result: PulumiResult, expectStatus: number | null, signal: NodeJS.Signals | null): PulumiResult {
  if (expectStatus !== null && result.status !== expectStatus) {
    // The diagnostics say why; the outputs after them rarely do.
    const at = result.stdout.indexOf('Diagnostics:');
    const shown = at >= 0 ? result.stdout.slice(at, at + 6000) : result.stdout.slice(-6000);
    throw new Error(`pulumi ${args.join(' ')} in ${cwd}: exit ${result.status ?? signal}, expected ${expectStatus}\n${shown}\n${result.stderr.slice(-4000)}`);
  }
  return result;
}

/** A file backend and PULUMI_HOME in a fresh temp folder; the peer's PATH; the doubles' ports. */
export function engine(peer: PeerStatus, debugProviders: Record<string, number>, extraEnv: NodeJS.ProcessEnv = {}): Engine {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'meshform-pulumi-'));
  const backend = path.join(base, 'state');
  fs.mkdirSync(backend);
  const env: NodeJS.ProcessEnv = {
    ...envWithPeer(peer),
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_HOME: path.join(base, 'home'),
    PULUMI_DEBUG_PROVIDERS: Object.entries(debugProviders).map(([pkg, port]) => `${pkg}:${port}`).join(','),
    PULUMI_SKIP_CONFIRMATIONS: 'true',
    NO_COLOR: '1',
    ...extraEnv,
  };
  for (const key of Object.keys(env)) if (key.startsWith('MESHFORM_KAFKA_')) delete env[key];
  return {
    env,
    backend,
    pulumi(args, cwd, expectStatus = 0) {
      const res = spawnSync('pulumi', [...args, '--non-interactive'], { cwd, env, encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
      return checked(args, cwd, { status: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? '' }, expectStatus, res.signal);
    },
    pulumiAsync(args, cwd, expectStatus = 0, options = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn('pulumi', [...args, '--non-interactive'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
        options.signal?.addEventListener('abort', () => child.kill('SIGINT'), { once: true });
        let stdout = '';
        let stderr = '';
        child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
        child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
        child.on('error', reject);
        child.on('close', (status, signal) => {
          try {
            resolve(checked(args, cwd, { status, stdout, stderr }, expectStatus, signal));
          } catch (e) {
            reject(e);
          }
        });
      });
    },
  };
}

export interface RecordingDouble {
  port: number;
  /** Every call recorded so far. */
  calls(): RecordedCall[];
  /** Forgets what was recorded (the file is truncated). */
  reset(): void;
  stop(): Promise<void>;
}

/** `npm run -s peers -- <pkg>-double`, as a user would start it; resolves once it prints `listening on`. */
export async function startDouble(pkg: 'gcp' | 'kubernetes', peerEnv: NodeJS.ProcessEnv): Promise<RecordingDouble> {
  const record = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `meshform-${pkg}-double-`)), 'record.jsonl');
  const child: ChildProcess = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(ROOT, 'packages', 'peers', 'src', 'main.ts'), `${pkg}-double`, '--record', record], {
    cwd: ROOT,
    env: peerEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${pkg}-double did not start within 60 s: ${stderr}`)), 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^listening on 127\.0\.0\.1:(\d+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`${pkg}-double exited (${code}): ${stderr}`)));
  });
  return {
    port,
    calls: () =>
      fs
        .readFileSync(record, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as RecordedCall),
    reset: () => fs.writeFileSync(record, ''),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** `pulumi preview --json` steps as `op type name` lines (the stack itself left out), sorted. */
export function previewSteps(stdout: string): string[] {
  const preview = JSON.parse(stdout) as { steps?: { op: string; urn: string }[] };
  return (preview.steps ?? [])
    .filter((s) => !s.urn.includes('::pulumi:pulumi:Stack::'))
    .map((s) => {
      const [, , qualified, name] = s.urn.split('::');
      return `${s.op} ${qualified.split('$').pop()} ${name}`;
    })
    .sort();
}
