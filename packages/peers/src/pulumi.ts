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
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashedVersion } from './cache';
import type { InstallContext, Peer } from './peer';
import { goEnv, run } from './process';
import { serveRecordingProvider } from './pulumi/recording-provider';

/** Same as npm's @pulumi/pulumi in package.json; pkg/v3 and sdk/v3 at this version are served by the proxy. */
export const PULUMI_VERSION = '3.248.0';

const WRAPPER = join(__dirname, 'pulumi');

/** Variables every use of this CLI needs here: no update checks, no plugin downloads (nothing to download from). */
export const PULUMI_ENV = {
  PULUMI_SKIP_UPDATE_CHECK: 'true',
  PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
  MESHFORM_PULUMI_VERSION: PULUMI_VERSION,
} as const;

/** What the install copies or writes besides the CLI: a change to any of it makes a new cache folder. */
const INSTALLED_FILES = ['go.mod', 'go.sum', 'language-host.js'];

const DYNAMIC_PROVIDER_SHIM = `#!/bin/sh
# Pulumi's dynamic-provider plugin: the project's own @pulumi/pulumi/cmd/dynamic-provider under node,
# resolved from the folder the engine starts it in (the project's).
script=$(node -e "process.stdout.write(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))") || exit 1
exec node "$script" "$@"
`;

async function install(ctx: InstallContext): Promise<void> {
  const build = join(ctx.dir, 'build');
  const bin = join(ctx.dir, 'bin');
  mkdirSync(build, { recursive: true });
  mkdirSync(bin, { recursive: true });
  copyFileSync(join(WRAPPER, 'go.mod'), join(build, 'go.mod'));
  copyFileSync(join(WRAPPER, 'go.sum'), join(build, 'go.sum'));
  ctx.log(`building pulumi ${PULUMI_VERSION} from github.com/pulumi/pulumi/pkg/v3 (cold: 10-40 min and 3-4 GB on 2 cores)`);
  const started = Date.now();
  await run(
    'go',
    ['build', '-trimpath', '-ldflags', `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${PULUMI_VERSION}`, '-o', join(bin, 'pulumi'), 'github.com/pulumi/pulumi/pkg/v3/cmd/pulumi'],
    { cwd: build, env: goEnv(ctx.sharedCache), echo: '  go: ' },
  );
  ctx.log(`built pulumi in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  copyFileSync(join(WRAPPER, 'language-host.js'), join(bin, 'pulumi-language-nodejs'));
  writeFileSync(join(bin, 'pulumi-resource-pulumi-nodejs'), DYNAMIC_PROVIDER_SHIM);
  for (const f of ['pulumi-language-nodejs', 'pulumi-resource-pulumi-nodejs']) chmodSync(join(bin, f), 0o755);
  writeFileSync(join(ctx.dir, 'versions.json'), `${JSON.stringify({ pulumi: PULUMI_VERSION, module: 'github.com/pulumi/pulumi/pkg/v3' }, null, 2)}\n`);
}


export const pulumiPeer: Peer = {
  name: 'pulumi',
  version: hashedVersion(PULUMI_VERSION, [...INSTALLED_FILES.map((f) => readFileSync(join(WRAPPER, f))), DYNAMIC_PROVIDER_SHIM]),
  description: "Pulumi's engine (CLI) from the Go module proxy, a Node.js language host and the dynamic-provider plugin",
  tools: { go: 'Go >= 1.25 (Debian: golang, or the toolchain this machine has)', node: 'Node.js 20' },
  install,
  env: (home) => ({ path: [join(home, 'bin')], vars: { ...PULUMI_ENV } }),
  commands: {
    'gcp-double': (_home, argv) => serveRecordingProvider('gcp', argv),
    'kubernetes-double': (_home, argv) => serveRecordingProvider('kubernetes', argv),
  },
};
