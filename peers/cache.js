"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.cacheRoot = cacheRoot;
exports.sharedCacheDir = sharedCacheDir;
exports.peerHome = peerHome;
exports.isInstalled = isInstalled;
exports.installedAt = installedAt;
exports.installRecord = installRecord;
exports.installAtomically = installAtomically;
/**
 * The peers' cache, outside the work tree: `<root>/<name>-<version>/` per installed peer, complete
 * only when it holds `.installed` (written last, after an atomic rename from a temporary folder).
 */
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const MARKER = '.installed';
function cacheRoot(env = process.env) {
    if (env.MESHFORM_PEERS_CACHE)
        return env.MESHFORM_PEERS_CACHE;
    return (0, node_path_1.join)(env.XDG_CACHE_HOME || (0, node_path_1.join)((0, node_os_1.homedir)(), '.cache'), 'meshform-peers');
}
/** Maven repository, Go module and build caches shared by every peer and kept across versions. */
function sharedCacheDir(root = cacheRoot()) {
    return (0, node_path_1.join)(root, 'shared');
}
function peerHome(peer, root = cacheRoot()) {
    return (0, node_path_1.join)(root, `${peer.name}-${peer.version}`);
}
function isInstalled(peer, root = cacheRoot()) {
    return (0, node_fs_1.existsSync)((0, node_path_1.join)(peerHome(peer, root), MARKER));
}
function installedAt(peer, root = cacheRoot()) {
    return isInstalled(peer, root) ? peerHome(peer, root) : undefined;
}
function installRecord(peer, root = cacheRoot()) {
    const file = (0, node_path_1.join)(peerHome(peer, root), MARKER);
    return (0, node_fs_1.existsSync)(file) ? JSON.parse((0, node_fs_1.readFileSync)(file, 'utf8')) : undefined;
}
/** Runs `fill` on a fresh temporary folder and moves it into place only when it succeeds. */
async function installAtomically(peer, fill, root = cacheRoot()) {
    const home = peerHome(peer, root);
    const tmp = `${home}.partial-${process.pid}`;
    (0, node_fs_1.rmSync)(tmp, { recursive: true, force: true });
    (0, node_fs_1.mkdirSync)(tmp, { recursive: true });
    try {
        await fill(tmp);
        (0, node_fs_1.writeFileSync)((0, node_path_1.join)(tmp, MARKER), `${JSON.stringify({ name: peer.name, version: peer.version, installedAt: new Date().toISOString() })}\n`);
        (0, node_fs_1.rmSync)(home, { recursive: true, force: true });
        (0, node_fs_1.renameSync)(tmp, home);
        return home;
    }
    catch (e) {
        (0, node_fs_1.rmSync)(tmp, { recursive: true, force: true });
        throw e;
    }
}
