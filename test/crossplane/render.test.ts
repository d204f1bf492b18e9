/**
 * DataProducts of the example specs as YAML (files and stream), validated against the XRD for
 * every example stack, and `meshform crossplane render`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { GENERATED_HEADER, renderDataProductStream, renderDataProducts } from '../../src/adapters/crossplane/render';
import { main } from '../../src/cli/main';
import type { Io } from '../../src/cli/io';
import { loadMesh } from '../../src/model';
import { planMesh } from '../../src/plan';
import type { Plan } from '../../src/plan/types';
import { listStacks, loadStack } from '../../src/stack/load';
import { compileXrSchema } from './support/package';
import { dataProduct, EXAMPLE_PRODUCTS, STACK_FACTS } from '../support/example-products';

/** The crossplane verbs as the command line has them. */
const run = (argv: string[], io: Parameters<typeof main>[1]) => main(['crossplane', ...argv], io);

const ROOT = path.join(__dirname, '..', '..');
const validate = compileXrSchema();

async function examplePlan(stackName: string): Promise<Plan> {
  const { mesh } = await loadMesh([path.join(ROOT, 'specs')], { cwd: ROOT });
  const { stack } = loadStack(stackName, { root: ROOT, env: {} });
  // Every example stack, rendered in Crossplane mode whatever its own setting.
  return planMesh(mesh!, { ...stack!, crossplane: { ...stack!.crossplane, enabled: true } });
}

function recorder(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), interactive: false };
}

describe.each(listStacks(ROOT))('example specs, stack %s', (stackName) => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await examplePlan(stackName);
  });

  test('one file per product; each parses back to the planned object and validates against the XRD', () => {
    const files = renderDataProducts(plan);
    const planned = plan.resources.filter((r) => r.kind === 'crossplane:DataProduct');
    expect(files.map((f) => f.file)).toEqual(planned.map((r) => `${r.properties.metadata.name}.yaml`));
    expect(files.length).toBe(plan.products.length);
    files.forEach((f, i) => {
      expect(f.yaml.startsWith(GENERATED_HEADER)).toBe(true);
      const object = parse(f.yaml);
      expect(object).toEqual(planned[i].properties);
      expect([f.file, validate(object), validate.errors ?? []]).toEqual([f.file, true, []]);
    });
  });

  test('the stream holds the same objects as documents', () => {
    const docs = parseAllDocuments(renderDataProductStream(plan)).map((d) => d.toJS());
    expect(docs).toEqual(renderDataProducts(plan).map((f) => parse(f.yaml)));
  });
});

describe('three example products, expected objects written by hand', () => {
  test.each(EXAMPLE_PRODUCTS)('%s in stack staging', async (product) => {
    const io = recorder();
    expect(await run(['render', '--stack', 'staging'], io)).toBe(0);
    const docs = parseAllDocuments(io.stdout.join('')).map((d) => d.toJS());
    expect(docs.filter((d) => d.spec.product.id === product)).toEqual([dataProduct(product, STACK_FACTS.staging)]);
  });
});

describe('a stack whose DataProducts go by GitOps (meshform:crossplane: gitops), with the compiled CLI', () => {
  /** A project holding the example specs and stack staging with `meshform:crossplane: gitops` instead of `"true"`, nothing else changed. */
  function gitopsProject(): string {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'meshform-gitops-'));
    fs.cpSync(path.join(ROOT, 'specs'), path.join(work, 'specs'), { recursive: true });
    fs.mkdirSync(path.join(work, 'stacks'));
    const staging = fs.readFileSync(path.join(ROOT, 'stacks', 'Pulumi.staging.yaml'), 'utf8');
    expect(staging).toContain('meshform:crossplane: "true"');
    fs.writeFileSync(path.join(work, 'stacks', 'Pulumi.staging.yaml'), staging.replace('meshform:crossplane: "true"', 'meshform:crossplane: gitops'));
    return work;
  }
  const cli = (work: string, args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'meshform.js'), ...args], { cwd: work, encoding: 'utf8' });

  test('crossplane render writes the DataProducts (expected objects written by hand), --out one file each', () => {
    const work = gitopsProject();
    try {
      const stream = cli(work, ['crossplane', 'render', '--stack', 'staging']);
      expect([stream.status, stream.stderr]).toEqual([0, '']);
      const docs = parseAllDocuments(stream.stdout).map((d) => d.toJS());
      for (const product of EXAMPLE_PRODUCTS) expect(docs.filter((d) => d.spec.product.id === product)).toEqual([dataProduct(product, STACK_FACTS.staging)]);
      for (const d of docs) expect(validate(d)).toBe(true);
      const out = path.join(work, 'gitops');
      const files = cli(work, ['crossplane', 'render', '--stack', 'staging', '--out', out]);
      expect([files.status, files.stderr.trim()]).toEqual([0, `wrote ${docs.length} DataProduct(s) to ${out}`]);
      const written = fs.readdirSync(out).map((f) => parse(fs.readFileSync(path.join(out, f), 'utf8')));
      expect(written.map((d) => d.spec.product.id).sort()).toEqual(docs.map((d) => d.spec.product.id).sort());
      // plan says who applies them.
      const plan = cli(work, ['plan', '--stack', 'staging']);
      expect([plan.status, plan.stdout]).toEqual([0, expect.stringContaining("Plan for stack 'staging' (Crossplane mode by GitOps (meshform crossplane render), namespace data-products)")]);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  test('a misspelt value: exit 2 (a stack setting, as every stack error), the error at the stack file\'s line and column, nothing rendered', () => {
    const work = gitopsProject();
    try {
      const file = path.join(work, 'stacks', 'Pulumi.staging.yaml');
      const text = fs.readFileSync(file, 'utf8').replace('meshform:crossplane: gitops', 'meshform:crossplane: GitOps');
      fs.writeFileSync(file, text);
      const line = text.split('\n').findIndex((l) => l.includes('GitOps')) + 1;
      const res = cli(work, ['crossplane', 'render', '--stack', 'staging']);
      expect(res.status).toBe(2);
      expect(res.stdout).toBe('');
      expect(res.stderr).toContain(`stacks/Pulumi.staging.yaml:${line}:24: error MF-STACK-TYPE: meshform:crossplane must be true, false or gitops, got string "GitOps" (did you mean gitops?)`);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('meshform crossplane render', () => {
  test('writes the stream on stdout for a Crossplane stack', async () => {
    const io = recorder();
    expect(await run(['render', '--stack', 'staging'], io)).toBe(0);
    const docs = parseAllDocuments(io.stdout.join('')).map((d) => d.toJS());
    expect(docs.map((d) => d.metadata.namespace)).toEqual(docs.map(() => 'data-products'));
    expect(docs.length).toBe((await examplePlan('staging')).products.length);
    for (const d of docs) expect(validate(d)).toBe(true);
  });

  test('--out writes one file per product and removes only stale generated files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshform-render-'));
    fs.writeFileSync(path.join(dir, 'gone-product.yaml'), GENERATED_HEADER + 'kind: DataProduct\n');
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources: []\n');
    const io = recorder();
    expect(await run(['render', 'specs', '--stack', 'staging', '--out', dir], io)).toBe(0);
    const files = fs.readdirSync(dir).sort();
    expect(files).toContain('kustomization.yaml');
    expect(files).not.toContain('gone-product.yaml');
    const written = files.filter((f) => f !== 'kustomization.yaml');
    // One file per product, named for its DataProduct (ids that are not DNS labels, such as
    // sales_dashboard, get a hashed name), and each file holds exactly that product.
    const products = written.map((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()));
    expect(products.map((docs) => docs.length)).toEqual(written.map(() => 1));
    expect(written).toEqual(products.map(([doc]) => `${doc.metadata.name}.yaml`));
    expect(products.map(([doc]) => doc.spec.product.id).sort()).toEqual((await examplePlan('staging')).products.map((p) => p.id).sort());
    expect(io.stderr.join('\n')).toMatch(/wrote \d+ DataProduct\(s\) to .*, removed 1 stale/);
    expect(io.stdout).toEqual([]);
  });

  test('refuses a stack in GCP mode (exit 2): both modes at once would fight over the same resources', async () => {
    const io = recorder();
    expect(await run(['render', '--stack', 'dev'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain("stack 'dev' is in GCP mode; set meshform:crossplane: gitops (or true) in its stack file to render DataProducts");
    expect(io.stdout).toEqual([]);
  });

  test('spec errors exit 1 with diagnostics; usage mistakes are usage errors', async () => {
    const io = recorder();
    expect(await run(['render', 'test/fixtures/pulumi/invalid-spec', '--stack', 'staging'], io)).toBe(1);
    expect(io.stderr.join('\n')).toContain('missing-owners.yaml:2:1: error MF-META-MISSING');
    const noStack = recorder();
    expect(await run(['render'], noStack)).toBe(2);
    expect(noStack.stderr.join('\n')).toMatch(/required option '-s, --stack <name>' not specified/);
    const unknown = recorder();
    expect(await run(['apply', '--stack', 'staging'], unknown)).toBe(2);
    expect(unknown.stderr.join('\n')).toMatch(/^meshform crossplane: unknown command 'apply'/);
    const bogus = recorder();
    expect(await run(['render', '--stack', 'staging', '--bogus'], bogus)).toBe(2);
    expect(bogus.stderr.join('\n')).toMatch(/unknown option '--bogus'/);
    expect(await run(['render', '--stack', 'nosuch'], recorder())).toBe(2);
  });
});
