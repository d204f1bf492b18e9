import type { Peer } from './peer';
export declare function cacheRoot(env?: NodeJS.ProcessEnv): string;
/** Maven repository, Go module and build caches shared by every peer and kept across versions. */
export declare function sharedCacheDir(root?: string): string;
export declare function peerHome(peer: Pick<Peer, 'name' | 'version'>, root?: string): string;
export declare function isInstalled(peer: Pick<Peer, 'name' | 'version'>, root?: string): boolean;
export declare function installedAt(peer: Pick<Peer, 'name' | 'version'>, root?: string): string | undefined;
export declare function installRecord(peer: Pick<Peer, 'name' | 'version'>, root?: string): {
    installedAt: string;
} | undefined;
/** Runs `fill` on a fresh temporary folder and moves it into place only when it succeeds. */
export declare function installAtomically(peer: Pick<Peer, 'name' | 'version'>, fill: (tmp: string) => Promise<void>, root?: string): Promise<string>;
