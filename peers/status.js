"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.peerStatus = peerStatus;
exports.envWithPeer = envWithPeer;
/**
 * Whether a peer is installed, for tests and tools: read from the cache itself, never from the
 * doubles the tests compare against.
 */
const cache_1 = require("./cache");
const registry_1 = require("./registry");
function peerStatus(name) {
    const peer = (0, registry_1.findPeer)(name);
    if (!peer)
        return { name, missing: `meshform has no peer named ${name}` };
    const home = (0, cache_1.installedAt)(peer);
    if (!home)
        return { name, version: peer.version, missing: `${name} ${peer.version} is not installed (npm run -s peers -- install ${name})` };
    return { name, version: peer.version, home, env: peer.env(home) };
}
/** process.env with the peer's PATH entries and variables added (for child processes). */
function envWithPeer(status, base = process.env) {
    const env = { ...base, ...(status.env?.vars ?? {}) };
    const extra = status.env?.path ?? [];
    if (extra.length)
        env.PATH = [...extra, base.PATH ?? ''].join(':');
    return env;
}
