import type { Peer } from './peer';
export declare const PEERS: readonly Peer[];
export declare function findPeer(name: string): Peer | undefined;
