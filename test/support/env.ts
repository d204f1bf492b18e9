/** process.env changes that a test makes and must undo, so suites do not leak settings to each other. */

/** The current values of `keys`; calling the result puts them back (unset ones are deleted again). */
function snapshotEnv(keys: string[]): () => void {
  const saved = keys.map((key) => [key, process.env[key]] as const);
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/** Saves `keys` before the suite's other hooks run and restores them after the suite. */
export function restoreEnvAfterAll(keys: string[]): void {
  let restore: () => void = () => undefined;
  beforeAll(() => {
    restore = snapshotEnv(keys);
  });
  afterAll(() => restore());
}

/** Runs `work` with `values` set in process.env (undefined: unset), then puts the previous values back. */
export async function withEnv<T>(values: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
  const restore = snapshotEnv(Object.keys(values));
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    return await work();
  } finally {
    restore();
  }
}
