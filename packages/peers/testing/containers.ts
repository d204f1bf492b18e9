/**
 * Suites that run Kafka (or a registry, or crank's functions) in containers: whether they run is
 * decided by the containers peer (`npm run -s peers -- install containers`: an engine that answers
 * and the images built here), never by probing from the code under test. With the peer, the suite
 * gets its images through the same variables users set (MESHFORM_KAFKA_IMAGE, MESHFORM_REGISTRY_IMAGE)
 * and TESTCONTAINERS_RYUK_DISABLED=true (the Ryuk image cannot be had here; meshform removes its own
 * containers). Without it the suite is skipped with the reason, or fails under MESHFORM_REQUIRE_PEERS=1.
 */
import { PEERS_REQUIRED, realPeer } from './peers';
import { envWithPeer, peerStatus, type PeerStatus } from '../src/status';

/** The containers peer's status; when installed, its variables are put into process.env for the kit. */
export function containersPeer(what: string): PeerStatus {
  const status = realPeer('containers', what);
  if (status.home) Object.assign(process.env, status.env?.vars ?? {});
  return status;
}

/** Why containers cannot run here (engine or images missing), or undefined when they can. */
export function containersMissing(): string | undefined {
  return peerStatus('containers').missing;
}

/** The backend list entry of a suite that also runs on containers: ['testcontainers', reason to skip]. */
export function containersBackend(what: string): ['testcontainers', string | undefined] {
  const status = containersPeer(what);
  if (status.home) return ['testcontainers', undefined];
  // Under MESHFORM_REQUIRE_PEERS=1 a missing peer is not a skip: starting the container then fails the suite.
  return ['testcontainers', PEERS_REQUIRED ? undefined : status.missing];
}

/** process.env with the containers peer's variables, for child processes (a product repo's `npm test`). */
export function envWithContainers(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return envWithPeer(peerStatus('containers'), base);
}
