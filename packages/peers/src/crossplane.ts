/**
 * Crossplane's own render, built from the Go module proxy: `crank` (the Crossplane CLI, whose
 * `render` and `beta validate` run Crossplane's composition and schema validation code without a
 * cluster), the three composition functions the Composition in crossplane/ uses, and the schemas
 * the tests validate against (Crossplane's core CRDs from the same module, the Upbound GCP
 * provider's CRDs). Every module is pinned to a version this machine's proxy serves (see PINS).
 *
 * Layout of the installed folder:
 *   bin/crank, bin/function-patch-and-transform, bin/function-go-templating, bin/function-auto-ready
 *   crds/crossplane/        Crossplane's own CRDs (XRD, Composition, ...) from crossplane/v2's cluster/crds
 *   crds/provider-gcp/      the Upbound GCP provider's CRDs of the kinds the Composition composes
 *   crds/functions/         the functions' input CRDs (pt.fn.crossplane.io Resources, GoTemplate), from their modules
 *   validate-cache/         a `crank beta validate --cache-dir` that already holds Crossplane's schemas,
 *                           so validation never tries to pull the Crossplane image (no registry here)
 *   versions.json           what was built, from which module versions
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashedVersion } from './cache';
import { PeerError, type InstallContext, type Peer } from './peer';
import { goEnv, run } from './process';

/** One Go main package built from a wrapper module (no `go install mod@v`: it asks the proxy for @v/list, refused here). */
interface GoBinary {
  /** File name under bin/. */
  bin: string;
  /** Module as required (its go.mod may declare another path: see `declaredAs`). */
  module: string;
  version: string;
  /** The main package, when not the module root. */
  pkg?: string;
  /**
   * The path the module's go.mod declares, when the proxy serves it under another one
   * (function-auto-ready's repository moved from crossplane to crossplane-contrib; its go.mod still
   * declares github.com/crossplane/function-auto-ready, under which the proxy serves no version).
   */
  declaredAs?: string;
  ldflags?: string;
}

/** Versions checked against this machine's Go module proxy (info, mod and zip all served). */
export const PINS = {
  crossplane: 'v2.2.1',
  patchAndTransform: 'v0.5.0',
  goTemplating: 'v0.12.3',
  autoReady: 'v0.7.0',
  providerGcp: 'v1.14.0',
} as const;

const CROSSPLANE_MODULE = 'github.com/crossplane/crossplane/v2';
const PROVIDER_GCP_MODULE = 'github.com/upbound/provider-gcp';

export const BINARIES: readonly GoBinary[] = [
  {
    bin: 'crank',
    module: CROSSPLANE_MODULE,
    version: PINS.crossplane,
    pkg: `${CROSSPLANE_MODULE}/cmd/crank`,
    ldflags: `-X ${CROSSPLANE_MODULE}/internal/version.version=${PINS.crossplane}`,
  },
  { bin: 'function-patch-and-transform', module: 'github.com/crossplane-contrib/function-patch-and-transform', version: PINS.patchAndTransform },
  { bin: 'function-go-templating', module: 'github.com/crossplane-contrib/function-go-templating', version: PINS.goTemplating },
  {
    bin: 'function-auto-ready',
    module: 'github.com/crossplane-contrib/function-auto-ready',
    declaredAs: 'github.com/crossplane/function-auto-ready',
    version: PINS.autoReady,
  },
];

/** The provider CRDs of the kinds crossplane/composition.yaml composes, by file in the module's package/crds. */
export const PROVIDER_CRD_FILES = [
  'bigquery.gcp.upbound.io_datasets.yaml',
  'bigquery.gcp.upbound.io_datasetiammembers.yaml',
  'cloudplatform.gcp.upbound.io_serviceaccounts.yaml',
  'cloudplatform.gcp.upbound.io_serviceaccountiammembers.yaml',
];

/** The image name `crank beta validate --crossplane-image` is given; its schemas are put in validate-cache/ at install. */
export const CROSSPLANE_SCHEMA_IMAGE = `meshform.local/crossplane-crds:${PINS.crossplane}`;

function wrapperGoMod(b: GoBinary): string {
  const required = b.declaredAs ?? b.module;
  const lines = ['module meshform.local/peers/crossplane/' + b.bin, '', 'go 1.25', '', `require ${required} ${b.version}`];
  if (b.declaredAs) lines.push('', `replace ${b.declaredAs} => ${b.module} ${b.version}`);
  return lines.join('\n') + '\n';
}

async function buildBinary(b: GoBinary, ctx: InstallContext, env: NodeJS.ProcessEnv): Promise<void> {
  const dir = join(ctx.dir, 'build', b.bin);
  mkdirSync(dir, { recursive: true });
  const pkg = b.pkg ?? b.declaredAs ?? b.module;
  writeFileSync(join(dir, 'go.mod'), wrapperGoMod(b));
  // Keeps the main package a requirement of the wrapper, as `go mod tidy` would see it.
  writeFileSync(join(dir, 'tools.go'), `//go:build tools\n\npackage tools\n\nimport _ "${pkg}"\n`);
  const started = Date.now();
  ctx.log(`building ${b.bin} from ${b.module}@${b.version} (a cold build takes minutes)`);
  const args = ['build', '-o', join(ctx.dir, 'bin', b.bin)];
  if (b.ldflags) args.push('-ldflags', b.ldflags);
  args.push(pkg);
  await run('go', args, { cwd: dir, env, echo: `  ${b.bin}: ` });
  ctx.log(`built ${b.bin} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** `go mod download -json mod@v` -> the unpacked module folder in GOMODCACHE. */
async function downloadModule(module: string, version: string, env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  const out = join(cwd, `download-${module.replace(/[^A-Za-z0-9]+/g, '-')}.json`);
  await run('sh', ['-c', 'go mod download -json "$1" > "$2"', 'sh', `${module}@${version}`, out], { cwd, env });
  const info = JSON.parse(readFileSync(out, 'utf8')) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new PeerError(`go mod download ${module}@${version}: ${info.Error ?? 'no folder'}`);
  return info.Dir;
}

function copyYaml(fromDir: string, files: string[], toDir: string): void {
  mkdirSync(toDir, { recursive: true });
  for (const f of files) copyFileSync(join(fromDir, f), join(toDir, f));
}

async function install(ctx: InstallContext): Promise<void> {
  const env = goEnv(ctx.sharedCache);
  mkdirSync(join(ctx.dir, 'bin'), { recursive: true });
  for (const b of BINARIES) await buildBinary(b, ctx, env);

  const work = join(ctx.dir, 'build');
  ctx.log(`fetching Crossplane's CRDs (${CROSSPLANE_MODULE}@${PINS.crossplane}) and the GCP provider's (${PROVIDER_GCP_MODULE}@${PINS.providerGcp})`);
  const core = join(await downloadModule(CROSSPLANE_MODULE, PINS.crossplane, env, work), 'cluster', 'crds');
  const coreFiles = readdirSync(core).filter((f) => f.endsWith('.yaml')).sort();
  copyYaml(core, coreFiles, join(ctx.dir, 'crds', 'crossplane'));
  const provider = join(await downloadModule(PROVIDER_GCP_MODULE, PINS.providerGcp, env, work), 'package', 'crds');
  copyYaml(provider, PROVIDER_CRD_FILES, join(ctx.dir, 'crds', 'provider-gcp'));
  for (const b of BINARIES.filter((x) => x.bin.startsWith('function-'))) {
    const input = join(await downloadModule(b.module, b.version, env, work), 'package', 'input');
    const files = existsSync(input) ? readdirSync(input).filter((f) => f.endsWith('.yaml')) : [];
    copyYaml(input, files, join(ctx.dir, 'crds', 'functions'));
  }

  // crank beta validate always loads the Crossplane image's schemas, from its cache or the registry.
  const cached = join(ctx.dir, 'validate-cache', CROSSPLANE_SCHEMA_IMAGE.replace(/:/g, '@'));
  mkdirSync(cached, { recursive: true });
  writeFileSync(
    join(cached, 'package.yaml'),
    coreFiles.map((f) => `${readFileSync(join(core, f), 'utf8').replace(/^---\n/, '').trimEnd()}\n---\n`).join(''),
  );

  writeFileSync(
    join(ctx.dir, 'versions.json'),
    `${JSON.stringify({ go: BINARIES.map((b) => ({ bin: b.bin, module: b.module, version: b.version })), providerGcp: PINS.providerGcp }, null, 2)}\n`,
  );
}

export const crossplane: Peer = {
  name: 'crossplane',
  // The pins and the install steps are this file: its hash is part of the version, so changing
  // either installs into a new folder (warm: seconds).
  version: hashedVersion(PINS.crossplane, [readFileSync(__filename)]),
  description: `crank ${PINS.crossplane} (render, beta validate), function-patch-and-transform ${PINS.patchAndTransform}, function-go-templating ${PINS.goTemplating}, function-auto-ready ${PINS.autoReady}, provider-gcp ${PINS.providerGcp} CRDs`,
  tools: { go: 'Go >= 1.25.12 (the newest go line among the pinned modules), e.g. Debian golang-go or go.dev' },
  install,
  env: (home) => ({
    path: [join(home, 'bin')],
    vars: {
      MESHFORM_CROSSPLANE_CRDS: join(home, 'crds'),
      MESHFORM_CROSSPLANE_VALIDATE_CACHE: join(home, 'validate-cache'),
    },
  }),
};
