/**
 * Worker threads (piscina) for work that splits into independent pieces (today: the catalog's
 * graph layouts, src/catalog/layout-worker.ts). Each use names a worker module compiled next to its
 * caller; the results are the same as in this thread, only sooner on a machine with more than one
 * core.
 *
 * `MESHFORM_WORKERS` sets how many threads (0: everything in this thread); the default is one per
 * core, at most 4. Under ts-jest the sources are TypeScript, which a worker thread cannot load:
 * there, and whenever the compiled worker is missing, the work runs in this thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type Piscina from 'piscina';

export const WORKERS_ENV = 'MESHFORM_WORKERS';
const MAX_DEFAULT_WORKERS = 4;

/** Whether `MESHFORM_WORKERS` is set (threads asked for, or refused with 0). */
export function workersAsked(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env[WORKERS_ENV] ?? '').trim() !== '';
}

/** How many worker threads a pool may use: 0 means run in this thread. */
export function workerCount(env: NodeJS.ProcessEnv = process.env): number {
  if (workersAsked(env)) {
    const n = Number(env[WORKERS_ENV]);
    if (Number.isInteger(n) && n >= 0) return n;
  }
  return Math.min(MAX_DEFAULT_WORKERS, availableParallelism());
}

/**
 * A pool running `module` (a file name without extension, in `dir`, compiled: `<module>.js`),
 * with up to `threads` threads; undefined when the work should stay in this thread.
 * @param queued tasks handed to a thread at once: above 1, a thread finds its next task waiting
 *   when it finishes one, instead of waiting for this thread to take the answer and send the next
 */
export function workerPool(dir: string, module: string, threads = workerCount(), queued = 1): Piscina | undefined {
  const filename = join(dir, `${module}.js`);
  if (threads < 1 || !existsSync(filename)) return undefined;
  const { Piscina: Pool } = require('piscina') as typeof import('piscina');
  // Threads start as work arrives and stay until the pool is closed: a run's tasks come in bursts.
  return new Pool({ filename, minThreads: 0, maxThreads: threads, idleTimeout: 60_000, concurrentTasksPerWorker: queued });
}
