/** Every real peer `npm run peers` knows, in install order. Add a peer: one module, one line here. */
import { containersPeer } from './containers';
import { crossplane } from './crossplane';
import { kafkaPeer } from './kafka';
import type { Peer } from './peer';
import { pulumiPeer } from './pulumi';
import { registryPeer } from './registry-apicurio';

export const PEERS: readonly Peer[] = [kafkaPeer, registryPeer, crossplane, containersPeer, pulumiPeer];

export function findPeer(name: string): Peer | undefined {
  return PEERS.find((p) => p.name === name);
}
