/**
 * How many resource registrations the program keeps in flight at once.
 *
 * Pulumi's Node SDK holds a registration's Outputs, promises and request in memory from the
 * moment the resource is constructed until the engine answers, and the engine answers a custom
 * resource only once its provider has created (or diffed) it, `--parallel` at a time (default 4
 * per CPU). A program that constructs all of a 1,000-product mesh at once (10,000 resources)
 * therefore holds every registration for the whole of a first `pulumi up`: over 1 GB. The
 * program constructs products while fewer than `size` of their custom resources wait for the
 * engine, which keeps far more queued than the engine works on, so the engine never waits for the
 * program (bench/program.ts measures both).
 */
import * as pulumi from '@pulumi/pulumi';

/** The least the window holds, whatever `--parallel` is. */
export const MIN_WINDOW = 256;

/**
 * The window for this run: MIN_WINDOW, or 16 registrations per engine operation when `--parallel`
 * (which Pulumi's runner passes as PULUMI_NODEJS_PARALLEL) allows more.
 */
export function windowSize(env: NodeJS.ProcessEnv = process.env): number {
  const parallel = Number(env.PULUMI_NODEJS_PARALLEL);
  return Number.isFinite(parallel) && parallel > 0 ? Math.max(MIN_WINDOW, 16 * parallel) : MIN_WINDOW;
}

export class RegistrationWindow {
  private open = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {}

  /** Resolves once fewer than `size` tracked registrations wait for the engine. */
  async room(): Promise<void> {
    while (this.open >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Tracks the custom resources among `resources` until the engine has answered each (or failed it). */
  track(resources: readonly unknown[]): void {
    for (const r of resources) {
      if (!pulumi.CustomResource.isInstance(r)) continue; // components are answered at once
      this.open++;
      void answered(r.urn).then(() => {
        this.open--;
        this.waiting.shift()?.();
      });
    }
  }
}

/**
 * Resolves when the output's value or failure is known. `promise()` is how Pulumi's own serializer
 * awaits an Output (not in its public typings); `apply` would never call back for a registration
 * the engine failed, and the program would wait for it forever.
 */
function answered(output: pulumi.Output<unknown>): Promise<void> {
  const awaitable = output as unknown as { promise?: () => Promise<unknown> };
  if (typeof awaitable.promise !== 'function') return new Promise((resolve) => output.apply(() => resolve()));
  return awaitable.promise().then(
    () => undefined,
    () => undefined,
  );
}
