/**
 * A schema registry in a container: Apicurio Registry (in-memory storage), whose
 * Confluent-compatible API every meshform registry client speaks. The official image
 * (`apicurio/apicurio-registry:3.0.9`) and the one `npm run -s peers -- install containers` builds
 * both serve HTTP on 8080.
 */
export const DEFAULT_REGISTRY_IMAGE = 'apicurio/apicurio-registry:3.0.9';
export const REGISTRY_CONTAINER_PORT = 8080;
/** Where Apicurio serves the Confluent Schema Registry API. */
export const CCOMPAT_PATH = '/apis/ccompat/v7';

/** The image to run: the option, else MESHFORM_REGISTRY_IMAGE, else the official one. */
export function registryImage(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  return option || env.MESHFORM_REGISTRY_IMAGE || DEFAULT_REGISTRY_IMAGE;
}

/** Resolves once `GET <url>/subjects` answers 200; rejects with the last reason after the timeout. */
export async function waitForRegistryApi(url: string, timeoutMs: number, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`the registry stopped before it answered (${last})`);
    // A timer of our own, not AbortSignal.timeout(): that one is unref'd, and while a published port's
    // proxy holds the connection open nothing else may keep the process alive.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 2000);
    try {
      const res = await fetch(`${url}/subjects`, { signal: controller.signal });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    } finally {
      clearTimeout(timer);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the registry did not answer at ${url} within ${timeoutMs / 1000} s (${last})`);
}
