import { ChildProcessWithoutNullStreams, spawn, spawnSync } from 'child_process';
import { join } from 'path';
import { createInterface } from 'readline';

/** Debian's python3-kafka installs into the system interpreter only; the python3 on PATH may be another one. */
export const SYSTEM_PYTHON = '/usr/bin/python3';
const STEPS_SCRIPT = join(__dirname, 'python', 'kafka_steps.py');
/** Per job: generous for a few admin calls plus a consumer poll, short enough that a hang fails the test. */
const JOB_TIMEOUT_MS = 20_000;

/** Why kafka-python tests cannot run here, or null when they can. Probed once, synchronously, before any broker starts. */
export function pythonKafkaMissing(): string | null {
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import kafka; print(kafka.__version__)'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error) return `${SYSTEM_PYTHON} cannot run (${(probe.error as NodeJS.ErrnoException).code ?? probe.error.message})`;
  if (probe.status !== 0) return `${SYSTEM_PYTHON} has no kafka module (apt-get install python3-kafka)`;
  return null;
}

export interface SaslLogin {
  username: string;
  password: string;
}

/** A kafka-python step (see python/kafka_steps.py for the ops and their arguments). */
export interface Step {
  op: string;
  [argument: string]: unknown;
}

export type StepResult<T = unknown> = { ok: true; value: T } | { ok: false; error: string; errno: number | null };

/** One long-lived kafka-python process per test file; jobs are answered in order, one JSON line each. */
export class PythonKafka {
  private readonly process: ChildProcessWithoutNullStreams;
  private readonly pending: Array<{ resolve: (line: string) => void; reject: (e: Error) => void }> = [];
  private stderr = '';
  private exited = false;

  constructor() {
    this.process = spawn(SYSTEM_PYTHON, [STEPS_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    createInterface({ input: this.process.stdout }).on('line', (line) => this.pending.shift()?.resolve(line));
    this.process.on('exit', (code, signal) => {
      this.exited = true;
      const failure = new Error(`kafka-python exited (${signal ?? code}): ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      for (const waiter of this.pending.splice(0)) waiter.reject(failure);
    });
  }

  /** Runs `steps` in order against `bootstrap`; a step's failure is its result, never a rejection. */
  async run(bootstrap: string, steps: Step[], sasl?: SaslLogin): Promise<StepResult[]> {
    if (this.exited) throw new Error('kafka-python process is not running');
    const answer = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`kafka-python gave no answer within ${JOB_TIMEOUT_MS} ms (ops: ${steps.map((s) => s.op).join(', ')})`));
        this.process.kill('SIGKILL');
      }, JOB_TIMEOUT_MS);
      this.pending.push({
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
    this.process.stdin.write(`${JSON.stringify({ bootstrap, sasl: sasl ?? null, steps })}\n`);
    const parsed = JSON.parse(await answer) as { results: StepResult[] };
    return parsed.results;
  }

  /** Runs one step and returns its value, failing the test with the kafka-python error when the step failed. */
  async value<T>(bootstrap: string, step: Step, sasl?: SaslLogin): Promise<T> {
    const [result] = await this.run(bootstrap, [step], sasl);
    if (!result.ok) throw new Error(`kafka-python ${step.op} failed: ${result.error} (${result.errno})`);
    return result.value as T;
  }

  /** Closing stdin ends the script, which closes its clients. */
  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    const killer = setTimeout(() => this.process.kill('SIGKILL'), 5_000);
    this.process.stdin.end();
    await exited;
    clearTimeout(killer);
  }
}
