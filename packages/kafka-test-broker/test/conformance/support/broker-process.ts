import { ChildProcessWithoutNullStreams, spawn } from 'child_process';
import { join } from 'path';
import { createInterface } from 'readline';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'kafka-test-broker.js');
/** The bin may compile TypeScript through tsx on start-up. */
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** The standalone `kafka-test-broker` bin, run as the independent clients would meet it in CI. */
export class BrokerProcess {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly output: { lines: string[]; stderr: string },
    readonly bootstrap: string,
  ) {}

  static async start(args: string[]): Promise<BrokerProcess> {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const output = { lines: [] as string[], stderr: '' };
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output.stderr += c));
    const reader = createInterface({ input: child.stdout });
    const bootstrap = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`kafka-test-broker did not print 'listening on' within ${START_TIMEOUT_MS} ms: ${output.stderr.trim()}`));
      }, START_TIMEOUT_MS);
      reader.on('line', (line) => {
        const listening = /^listening on (\S+)$/.exec(line);
        if (listening) {
          clearTimeout(timer);
          resolve(listening[1]);
        } else {
          output.lines.push(line);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`kafka-test-broker exited ${code} before listening: ${output.stderr.trim()}`));
      });
    });
    return new BrokerProcess(child, output, bootstrap);
  }

  private stopping?: Promise<{ code: number | null; stdout: string[]; stderr: string }>;

  /** SIGTERM, then the exit code and every stdout line printed after `listening on`. Safe to call twice. */
  stop(): Promise<{ code: number | null; stdout: string[]; stderr: string }> {
    this.stopping ??= this.terminate();
    return this.stopping;
  }

  private async terminate(): Promise<{ code: number | null; stdout: string[]; stderr: string }> {
    const exited = new Promise<number | null>((resolve) => this.child.once('close', (code) => resolve(code)));
    const killer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    this.child.kill('SIGTERM');
    const code = await exited;
    clearTimeout(killer);
    return { code, stdout: this.output.lines, stderr: this.output.stderr };
  }
}
