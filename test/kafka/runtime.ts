/**
 * Whether a container runtime may be present, decided synchronously so a suite can be skipped with
 * a visible reason (testcontainers itself only fails when asked). startMeshKafka probes for real.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function containerRuntimeAbsent(): string | undefined {
  const hints = [
    process.env.DOCKER_HOST,
    process.env.TESTCONTAINERS_HOST_OVERRIDE,
    existsSync('/var/run/docker.sock') ? 'docker.sock' : undefined,
    existsSync(join(homedir(), '.testcontainers.properties')) ? 'testcontainers.properties' : undefined,
    process.env.XDG_RUNTIME_DIR && existsSync(join(process.env.XDG_RUNTIME_DIR, 'podman', 'podman.sock')) ? 'podman' : undefined,
  ];
  return hints.some(Boolean) ? undefined : 'no container runtime (no DOCKER_HOST, /var/run/docker.sock, podman socket or ~/.testcontainers.properties)';
}
