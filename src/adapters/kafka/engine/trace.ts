/**
 * Where a Kafka operation's time goes, for benchmarks and for people who ask why an up is slow:
 * with MESHFORM_TRACE=<file>, each traced operation (one Pulumi resource operation) appends one
 * JSON line to the file when it ends: its name, product, start and end (ms since the epoch), and
 * the milliseconds spent in each step the engine marks (waiting for the lease, writing, reading
 * back, with the number of read-back rounds). Nothing is recorded without the variable.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';

export const TRACE_ENV = 'MESHFORM_TRACE';

export interface TraceLine {
  op: string;
  product: string;
  start: number;
  end: number;
  /** Milliseconds per step, summed when a step runs more than once. */
  steps: Record<string, number>;
  /** How many times each step ran. */
  counts: Record<string, number>;
  failed?: boolean;
}

const current = new AsyncLocalStorage<TraceLine>();

/** Runs `work` as one traced operation (recorded only when MESHFORM_TRACE names a file). */
export async function traced<T>(op: string, product: string, work: () => Promise<T>): Promise<T> {
  const file = process.env[TRACE_ENV];
  if (!file) return work();
  const line: TraceLine = { op, product, start: Date.now(), end: 0, steps: {}, counts: {} };
  try {
    return await current.run(line, work);
  } catch (e) {
    line.failed = true;
    throw e;
  } finally {
    line.end = Date.now();
    try {
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch {
      // A trace that cannot be written never fails the operation.
    }
  }
}

/** Times one step of the traced operation this call runs in (if any). */
export async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const line = current.getStore();
  if (!line) return work();
  const t0 = Date.now();
  try {
    return await work();
  } finally {
    line.steps[name] = (line.steps[name] ?? 0) + Date.now() - t0;
    line.counts[name] = (line.counts[name] ?? 0) + 1;
  }
}
