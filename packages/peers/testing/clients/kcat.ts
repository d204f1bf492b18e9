import { spawn, spawnSync } from 'child_process';
import type { SaslLogin } from './python-kafka';

const KCAT = 'kcat';
const RUN_TIMEOUT_MS = 15_000;

/** Why kcat tests cannot run here, or null when they can. */
export function kcatMissing(): string | null {
  const probe = spawnSync(KCAT, ['-V'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error) return `kcat is not installed (${(probe.error as NodeJS.ErrnoException).code ?? probe.error.message}; apt-get install kcat)`;
  if (probe.status !== 0) return `kcat -V exited ${probe.status}`;
  return null;
}

export interface KcatRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** kcat's options for a SASL PLAIN login; the password only ever goes to kcat's argv. */
export function kcatSasl(login: SaslLogin): string[] {
  return ['-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanisms=PLAIN', '-X', `sasl.username=${login.username}`, '-X', `sasl.password=${login.password}`];
}

/**
 * Runs kcat to completion (async, so an in-process broker keeps serving), killed after `timeoutMs`
 * (code null). Failures are returned, not thrown: some tests expect kcat to fail.
 */
export function runKcat(args: string[], input?: string, timeoutMs = RUN_TIMEOUT_MS): Promise<KcatRun> {
  return runCaptured(KCAT, args, input, timeoutMs);
}

/** Any program run to completion with its output captured, killed after `timeoutMs` (code null); rejects only when it cannot start. */
export function runCaptured(command: string, args: string[], input: string | undefined, timeoutMs: number): Promise<KcatRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** kcat's argv with the password masked, for failure messages. */
function shown(args: string[]): string {
  return args.map((a) => (a.startsWith('sasl.password=') ? 'sasl.password=***' : a)).join(' ');
}

/** Runs kcat and returns stdout, failing with kcat's own error lines when it exits non-zero. */
export async function kcatOutput(args: string[], input?: string): Promise<string> {
  const run = await runKcat(args, input);
  if (run.code !== 0) throw new Error(`kcat ${shown(args)} exited ${run.code}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return run.stdout;
}

/** `kcat -L -J` metadata as kcat reports it. */
export interface KcatMetadata {
  controllerid: number;
  brokers: Array<{ id: number; name: string }>;
  topics: Array<{
    topic: string;
    error?: string;
    partitions: Array<{ partition: number; leader: number; replicas: Array<{ id: number }>; isrs: Array<{ id: number }>; error?: string }>;
  }>;
}

export async function kcatMetadata(bootstrap: string, extra: string[] = []): Promise<KcatMetadata> {
  return JSON.parse(await kcatOutput(['-b', bootstrap, '-L', '-J', '-m', '5', ...extra])) as KcatMetadata;
}
