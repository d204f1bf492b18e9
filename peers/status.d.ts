import type { PeerEnv } from './peer';
export interface PeerStatus {
    name: string;
    version?: string;
    /** The installed folder, when installed. */
    home?: string;
    env?: PeerEnv;
    /** Why it is not usable, when not installed. */
    missing?: string;
}
export declare function peerStatus(name: string): PeerStatus;
/** process.env with the peer's PATH entries and variables added (for child processes). */
export declare function envWithPeer(status: PeerStatus, base?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
