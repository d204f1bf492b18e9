/** Every real peer `npm run peers` knows, in install order. Add a peer: one module, one line here. */
import { kafkaPeer } from './kafka';
import type { Peer } from './peer';

export const PEERS: readonly Peer[] = [kafkaPeer];

export function findPeer(name: string): Peer | undefined {
  return PEERS.find((p) => p.name === name);
}
