/**
 * meshform as a package: `npm pack`, installed with npm into a project outside the repository,
 * then used from there as users use it: the CLI bin, `meshform/pulumi` under Pulumi's mocks with
 * plain node (no tsx installed), the Kafka provider loaded by package name as Pulumi's
 * dynamic-provider host loads it, and the example product repository's own scripts.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { startTestBroker } from '@meshform/kafka-test-broker';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { packedMeshform, ROOT, workingFolder, INSTALL_TIMEOUT_MS, type PackedInstall } from '../support/packed';
import { containersMissing, envWithContainers } from '@meshform/peers/testing/containers';
import { PEERS_REQUIRED } from '@meshform/peers/testing/peers';

let install: PackedInstall;
beforeAll(async () => {
  install = await packedMeshform();
}, INSTALL_TIMEOUT_MS);

/** Product ids of the AsyncAPI documents directly in `dir` (schema files live in subfolders). */
const specIds = (dir: string) =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ya?ml|json)$/.test(e.name))
    .map((e) => parse(fs.readFileSync(path.join(dir, e.name), 'utf8')) as { asyncapi?: string; id: string })
    .filter((s) => s.asyncapi)
    .map((s) => s.id.replace(/^urn:/, '').replace(/:/g, '.'))
    .sort();

test('the tarball holds compiled code, declarations and bins, no sources or tests; exports resolve to files in it', () => {
  const files = execFileSync('tar', ['tzf', install.tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
  expect(files).toEqual(expect.arrayContaining(['package.json', 'bin/meshform.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'crossplane/composition.yaml']));
  expect(files.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
  expect(files.filter((f) => /^(src|test|bench|examples)\//.test(f))).toEqual([]);
  const manifest = JSON.parse(fs.readFileSync(path.join(install.nodeModules, 'meshform', 'package.json'), 'utf8'));
  expect(manifest.private).toBeUndefined();
  const targets = [manifest.main, manifest.types, ...Object.values(manifest.bin as Record<string, string>)];
  for (const entry of Object.values(manifest.exports as Record<string, string | Record<string, string>>)) {
    targets.push(...(typeof entry === 'string' ? [entry] : Object.values(entry)));
  }
  for (const target of targets) expect([target, files.includes(target.replace(/^\.\//, ''))]).toEqual([target, true]);
  expect(Object.keys(manifest.dependencies)).not.toContain('tsx');
  // The Pulumi SDK is for mesh repositories: optional peers, never installed with meshform itself.
  expect(Object.keys(manifest.dependencies).filter((d) => d.startsWith('@pulumi/'))).toEqual([]);
  expect(Object.keys(manifest.peerDependenciesMeta).filter((d) => d.startsWith('@pulumi/')).sort()).toEqual(['@pulumi/gcp', '@pulumi/kubernetes', '@pulumi/pulumi']);
  // Development-only workspaces never reach the package.
  expect(files.filter((f) => /peers|kafka-test-broker/.test(f))).toEqual([]);
});

test('a product repository installs no Pulumi SDK, and meshform/pulumi there names what to install', async () => {
  const product = await packedMeshform('product');
  expect(fs.existsSync(path.join(product.nodeModules, '@pulumi'))).toBe(false);
  expect(fs.existsSync(path.join(product.nodeModules, '@meshform', 'kafka-test-broker', 'dist', 'index.js'))).toBe(true);
  const work = workingFolder(product);
  const res = spawnSync(process.execPath, ['-e', "require('meshform/pulumi')"], { cwd: work, encoding: 'utf8' });
  expect(res.status).toBe(1);
  expect(res.stderr).toContain('meshform/pulumi needs @pulumi/gcp, @pulumi/kubernetes, @pulumi/pulumi in this Pulumi project: npm install @pulumi/pulumi @pulumi/gcp @pulumi/kubernetes');
  // The CLI and the testing kit load without them.
  const version = spawnSync(path.join(work, 'node_modules', '.bin', 'meshform'), ['--version'], { cwd: work, encoding: 'utf8' });
  expect([version.status, version.stdout.trim()]).toEqual([0, JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version]);
  expect(spawnSync(process.execPath, ['-e', "require('meshform/testing')"], { cwd: work, encoding: 'utf8' }).status).toBe(0);
}, INSTALL_TIMEOUT_MS);

test('the installed CLI validates and plans specs in a project outside the repository', () => {
  const work = workingFolder(install);
  fs.cpSync(path.join(ROOT, 'specs'), path.join(work, 'specs'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'stacks'), path.join(work, 'stacks'), { recursive: true });
  const bin = path.join(work, 'node_modules', '.bin', 'meshform');
  const validate = JSON.parse(execFileSync(bin, ['validate', 'specs', '--json'], { cwd: work, encoding: 'utf8' }));
  expect(validate.ok).toBe(true);
  const plan = JSON.parse(execFileSync(bin, ['plan', 'specs', '--stack', 'dev', '--json'], { cwd: work, encoding: 'utf8' }));
  expect(plan.products.map((p: { id: string }) => p.id).sort()).toEqual(specIds(path.join(ROOT, 'specs')));
  expect(() => require.resolve('tsx', { paths: [work] })).toThrow();
});

/** Runs in the installed project: the program under mocks, then the Kafka provider as the dynamic-provider host runs it. */
const PROGRAM = `
const pulumi = require('@pulumi/pulumi');
const registered = [];
pulumi.runtime.setMocks({
  newResource: (a) => { registered.push({ type: a.type, name: a.name, inputs: a.inputs }); return { id: a.name + '-id', state: a.inputs }; },
  call: (a) => a.inputs,
}, 'acme-mesh', 'dev', false).then(async () => {
  pulumi.runtime.setAllConfig(JSON.parse(process.env.TEST_CONFIG));
  const outputs = await require('meshform/pulumi').meshformProgram();
  await new Promise((r) => setTimeout(r, 500));
  const kafka = registered.filter((r) => r.type === 'pulumi-nodejs:dynamic/meshform:KafkaProduct');
  // What cmd/dynamic-provider does with the serialized provider: requireFromString(...).handler().
  const provider = require('require-from-string')(kafka[0].inputs.__provider).handler();
  const { __provider, ...inputs } = kafka[0].inputs;
  // As the engine does: Configure with the stack's config (where the cluster is), then Check, which
  // judges the new product against the cluster.
  const config = JSON.parse(process.env.TEST_CONFIG);
  await provider.configure({ config: { get: (k) => config[k], require: (k) => config[k] } });
  const checked = await provider.check({}, inputs);
  process.stdout.write(JSON.stringify({
    products: Object.keys(outputs.products).sort(),
    types: [...new Set(registered.map((r) => r.type))].sort(),
    kafka: kafka.length,
    provider: __provider,
    checked: checked.failures.length === 0 && JSON.stringify(checked.inputs) === JSON.stringify(inputs),
  }), () => process.exit(0)); // the provider's connection stays open, as in the engine's provider process
});
`;

test('meshform/pulumi runs under plain node from the install, and the Kafka provider loads by package name', async () => {
  const work = workingFolder(install);
  fs.cpSync(path.join(ROOT, 'specs'), path.join(work, 'specs'), { recursive: true });
  // The provider's check reads the cluster: an empty test broker, so nothing is refused.
  const broker = await startTestBroker({ saslUsers: { admin: 'admin-secret' }, superUsers: ['User:admin'] });
  const config = {
    'meshform:gcpProject': 'acme-data-dev',
    'meshform:kafkaBootstrap': broker.bootstrap,
    'meshform:kafkaSaslMechanism': 'plain',
    'meshform:kafkaUsername': 'admin',
    'meshform:kafkaPassword': 'admin-secret',
  };
  const env: NodeJS.ProcessEnv = { ...process.env, TEST_CONFIG: JSON.stringify(config) };
  for (const key of Object.keys(env)) if (key.startsWith('MESHFORM_KAFKA_')) delete env[key];
  // Asynchronously: the broker answers from this process.
  const res = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['-e', PROGRAM], { cwd: work, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', () => resolve({ stdout, stderr }));
    setTimeout(() => child.kill(), 120_000).unref();
  }).finally(() => broker.stop());
  // Node's own deprecation/experimental notices from dependencies aside, nothing on stderr.
  expect(res.stderr.split('\n').filter((l) => l.trim() && !/Warning|--trace-deprecation/.test(l))).toEqual([]);
  const out = JSON.parse(res.stdout) as { products: string[]; types: string[]; kafka: number; provider: string; checked: boolean };
  expect(out.products).toEqual(specIds(path.join(ROOT, 'specs')));
  expect(out.types).toEqual(expect.arrayContaining(['gcp:bigquery/dataset:Dataset', 'meshform:mesh:DataProduct', 'pulumi-nodejs:dynamic/meshform:KafkaProduct']));
  expect(out.kafka).toBe(out.products.length);
  expect(out.checked).toBe(true);
  // The shell in state loads the implementation by package name from the project folder (provider-shell.ts).
  expect(out.provider).toContain('"meshform/pulumi/kafka-provider"');
  expect(out.provider).toContain('process.cwd()');
  expect(out.provider).not.toContain(work);
  expect(out.provider).not.toContain(install.dir);
  expect(out.provider).not.toContain(ROOT);
});

test('the example product repository validates its spec against its mesh and runs its tests on meshform/testing', async () => {
  const work = workingFolder(await packedMeshform('product-containers'), 'meshform-product-repo-');
  for (const f of fs.readdirSync(path.join(ROOT, 'examples', 'product-repo'))) {
    fs.cpSync(path.join(ROOT, 'examples', 'product-repo', f), path.join(work, f), { recursive: true });
  }
  // With the containers peer, the variables a user of this machine sets (MESHFORM_KAFKA_IMAGE, TESTCONTAINERS_RYUK_DISABLED).
  const containers = containersMissing() === undefined;
  if (!containers && PEERS_REQUIRED) throw new Error(`MESHFORM_REQUIRE_PEERS=1 and ${containersMissing()}`);
  const env: NodeJS.ProcessEnv = { ...(containers ? envWithContainers() : { ...process.env, DOCKER_HOST: 'unix:///nonexistent/meshform-test/docker.sock' }), PATH: `${path.join(work, 'node_modules', '.bin')}:${process.env.PATH}` };
  const validate = spawnSync('npm', ['run', '-s', 'validate'], { cwd: work, encoding: 'utf8', env });
  expect([validate.status, validate.stderr]).toEqual([0, expect.stringMatching(/ok: 3 product\(s\) in 3 file\(s\)/)]);
  const tests = spawnSync('npm', ['test'], { cwd: work, encoding: 'utf8', env, timeout: 240_000 });
  expect([tests.status, tests.stdout]).toEqual([0, expect.stringMatching(/# pass 2\s+# fail 0/)]);
  // Which Kafka it started, and why (node --test passes the child's stderr on as TAP comments): a
  // container where the containers peer gives an engine and images, else (no engine) the in-process broker.
  expect(tests.stdout + tests.stderr).toMatch(
    containers ? `meshform/testing: Kafka in a container (${env.MESHFORM_KAFKA_IMAGE}) at 127.0.0.1:` : /meshform\/testing: in-process test broker at 127\.0\.0\.1:\d+ \(no container runtime: no Docker engine/,
  );
}, 300_000);
