"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.pulumiPeer = exports.PULUMI_ENV = exports.PULUMI_VERSION = void 0;
/**
 * Pulumi's real engine: the `pulumi` CLI built from the Go module proxy at the version of the
 * npm @pulumi/pulumi this project uses, plus the two plugins a Node.js project needs beside it.
 *
 * Installed folder:
 *   bin/pulumi                          github.com/pulumi/pulumi/pkg/v3/cmd/pulumi, built from a wrapper
 *                                       module (pulumi/go.mod + go.sum here): pkg/go.mod's own `replace`
 *                                       of sdk/v3 => ../sdk does not apply to a dependency, so sdk/v3 is
 *                                       required at the same version; the clipboard replace is repeated.
 *   bin/pulumi-language-nodejs          pulumi/language-host.js: Pulumi's own Node.js language host is
 *                                       a separate Go module with only pseudo-versions, none of which the
 *                                       proxy here serves (checked for the commits of pkg/v3.224.0 to
 *                                       v3.252.0), so a small stand-in starts Pulumi's own runner
 *                                       (@pulumi/pulumi/cmd/run) the way that host does (see the file).
 *   bin/pulumi-resource-pulumi-nodejs   dynamic providers: the project's @pulumi/pulumi/cmd/dynamic-provider
 *                                       under node, as the official distribution's script does.
 *
 * Commands: `gcp-double` and `kubernetes-double` serve a recording stand-in for the `gcp` and
 * `kubernetes` provider plugins (which cannot be built from the proxy) for PULUMI_DEBUG_PROVIDERS.
 */
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const process_1 = require("./process");
const recording_provider_1 = require("./pulumi/recording-provider");
/** Same as npm's @pulumi/pulumi in package.json; pkg/v3 and sdk/v3 at this version are served by the proxy. */
exports.PULUMI_VERSION = '3.248.0';
const WRAPPER = (0, node_path_1.join)(__dirname, 'pulumi');
/** Variables every use of this CLI needs here: no update checks, no plugin downloads (nothing to download from). */
exports.PULUMI_ENV = {
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    MESHFORM_PULUMI_VERSION: exports.PULUMI_VERSION,
};
const DYNAMIC_PROVIDER_SHIM = `#!/bin/sh
# Pulumi's dynamic-provider plugin: the project's own @pulumi/pulumi/cmd/dynamic-provider under node,
# resolved from the folder the engine starts it in (the project's).
script=$(node -e "process.stdout.write(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))") || exit 1
exec node "$script" "$@"
`;
function goEnv(ctx) {
    return {
        ...process.env,
        GOMODCACHE: (0, node_path_1.join)(ctx.sharedCache, 'go', 'mod'),
        GOCACHE: (0, node_path_1.join)(ctx.sharedCache, 'go', 'build'),
        GOFLAGS: '-mod=mod -buildvcs=false',
        GOTOOLCHAIN: 'local',
        GOWORK: 'off',
    };
}
async function install(ctx) {
    const build = (0, node_path_1.join)(ctx.dir, 'build');
    const bin = (0, node_path_1.join)(ctx.dir, 'bin');
    (0, node_fs_1.mkdirSync)(build, { recursive: true });
    (0, node_fs_1.mkdirSync)(bin, { recursive: true });
    (0, node_fs_1.copyFileSync)((0, node_path_1.join)(WRAPPER, 'go.mod'), (0, node_path_1.join)(build, 'go.mod'));
    (0, node_fs_1.copyFileSync)((0, node_path_1.join)(WRAPPER, 'go.sum'), (0, node_path_1.join)(build, 'go.sum'));
    ctx.log(`building pulumi ${exports.PULUMI_VERSION} from github.com/pulumi/pulumi/pkg/v3 (cold: 10-40 min and 3-4 GB on 2 cores)`);
    const started = Date.now();
    await (0, process_1.run)('go', ['build', '-trimpath', '-ldflags', `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${exports.PULUMI_VERSION}`, '-o', (0, node_path_1.join)(bin, 'pulumi'), 'github.com/pulumi/pulumi/pkg/v3/cmd/pulumi'], { cwd: build, env: goEnv(ctx), echo: '  go: ' });
    ctx.log(`built pulumi in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    (0, node_fs_1.copyFileSync)((0, node_path_1.join)(WRAPPER, 'language-host.js'), (0, node_path_1.join)(bin, 'pulumi-language-nodejs'));
    (0, node_fs_1.writeFileSync)((0, node_path_1.join)(bin, 'pulumi-resource-pulumi-nodejs'), DYNAMIC_PROVIDER_SHIM);
    for (const f of ['pulumi-language-nodejs', 'pulumi-resource-pulumi-nodejs'])
        (0, node_fs_1.chmodSync)((0, node_path_1.join)(bin, f), 0o755);
    (0, node_fs_1.writeFileSync)((0, node_path_1.join)(ctx.dir, 'versions.json'), `${JSON.stringify({ pulumi: exports.PULUMI_VERSION, module: 'github.com/pulumi/pulumi/pkg/v3' }, null, 2)}\n`);
}
exports.pulumiPeer = {
    name: 'pulumi',
    version: exports.PULUMI_VERSION,
    description: "Pulumi's engine (CLI) from the Go module proxy, a Node.js language host and the dynamic-provider plugin",
    tools: { go: 'Go >= 1.25 (Debian: golang, or the toolchain this machine has)', node: 'Node.js 20' },
    install,
    env: (home) => ({ path: [(0, node_path_1.join)(home, 'bin')], vars: { ...exports.PULUMI_ENV } }),
    commands: {
        'gcp-double': (_home, argv) => (0, recording_provider_1.serveRecordingProvider)('gcp', argv),
        'kubernetes-double': (_home, argv) => (0, recording_provider_1.serveRecordingProvider)('kubernetes', argv),
    },
};
