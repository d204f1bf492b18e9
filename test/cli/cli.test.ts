import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Plan } from '../../src/plan/types';
import { runCli } from './support';

const ROOT = join(__dirname, '..', '..');
const INVALID = join('test', 'fixtures', 'specs', 'invalid');

describe('meshform validate', () => {
  it('accepts the example specs with exit 0 and reports what it read', async () => {
    const run = await runCli('validate');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^ok: 11 product\(s\) in 11 file\(s\)$/m);
    expect(run.stdout).toBe('');
  });

  it('reports a spec error as path:line:col with exit 1', async () => {
    const file = join(INVALID, 'id-missing.yaml');
    const run = await runCli('validate', file);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^${file.replace(/[.\\/]/g, '\\$&')}:\\d+:\\d+: error MF-[A-Z-]+: .+`, 'm'));
    expect(run.stderr).toMatch(/^1 error\(s\), 0 warning\(s\)$/m);
  });

  it('reports the problems of every file in one run', async () => {
    const files = ['id-missing.yaml', 'topic-illegal-characters.yaml', 'ref-remote-http.yaml'].map((f) => join(INVALID, f));
    const run = await runCli('validate', ...files);
    expect(run.code).toBe(1);
    for (const f of files) expect(run.stderr).toContain(`${f}:`);
  });

  it('exits 2 for a path that does not exist', async () => {
    const run = await runCli('validate', 'no/such/folder');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no\/such\/folder/);
  });

  it('prints diagnostics as one JSON document with --json, nothing on stderr', async () => {
    const run = await runCli('validate', join(INVALID, 'id-missing.yaml'), '--json');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const doc = JSON.parse(run.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.diagnostics[0]).toMatchObject({ severity: 'error', location: { file: join(INVALID, 'id-missing.yaml') } });
    expect(doc.diagnostics[0].location.line).toBeGreaterThanOrEqual(1);
  });

  it('--json always has files and products: on errors, the files read and the products whose spec passed its own checks', async () => {
    const bad = join(INVALID, 'id-missing.yaml');
    const run = await runCli('validate', bad, 'specs/retail-orders.yaml', 'specs/finance-billing.yaml', '--json');
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(Object.keys(doc)).toEqual(['ok', 'files', 'products', 'diagnostics']);
    expect(doc.files).toEqual(['specs/finance-billing.yaml', 'specs/retail-orders.yaml', bad]);
    expect(doc.products).toEqual(['acme.finance.billing', 'acme.retail.orders']);
    const missing = JSON.parse((await runCli('validate', 'no/such/folder', '--json')).stdout);
    expect(missing).toMatchObject({ ok: false, files: [], products: [] });
  });
});

describe('meshform plan', () => {
  it('prints the plan grouped by product (the whole view: test/cli/plan.test.ts)', async () => {
    const run = await runCli('plan', '--stack', 'dev');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Plan for stack 'dev' \(GCP mode, project acme-data-dev\): 11 products in 5 business domains, \d+ resources/);
    expect(run.stdout).toMatch(/^acme\.retail\.orders {2}specs\/retail-orders\.yaml, source-aligned, \d+ resources$/m);
    expect(run.stdout).toMatch(/^ {2}topic _public\.order_placed /m);
  });

  it('prints exactly one JSON document {stack, products, resources} with --json', async () => {
    const run = await runCli('plan', 'specs', '--stack', 'prod', '--json');
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as Plan;
    expect(Object.keys(plan)).toEqual(['stack', 'products', 'resources']);
    expect(plan.stack).toBe('prod');
    expect(plan.products.map((p) => p.id)).toEqual([...plan.products.map((p) => p.id)].sort());
    const kinds = new Set(plan.resources.map((r) => r.kind));
    for (const kind of ['kafka:Topic', 'kafka:Acl', 'gcp:bigquery:Dataset', 'gcp:serviceaccount:Account']) expect(kinds).toContain(kind);
    expect(new Set(plan.resources.map((r) => r.name)).size).toBe(plan.resources.length);
  });

  it('is deterministic: two runs print the same bytes', async () => {
    const a = await runCli('plan', '--stack', 'staging', '--json');
    const b = await runCli('plan', '--stack', 'staging', '--json');
    expect(a.stdout).toBe(b.stdout);
  });

  it('plans Crossplane DataProducts instead of GCP resources where the stack enables it', async () => {
    const plan = JSON.parse((await runCli('plan', '--stack', 'staging', '--json')).stdout) as Plan;
    const kinds = new Set(plan.resources.map((r) => r.kind));
    expect(kinds).toContain('crossplane:DataProduct');
    expect(kinds).not.toContain('gcp:bigquery:Dataset');
  });

  it('exits 2 without --stack, for an unknown stack and for an unknown option', async () => {
    const noStack = await runCli('plan');
    expect(noStack.code).toBe(2);
    expect(noStack.stderr).toMatch(/required option '-s, --stack <name>' not specified/);
    const unknown = await runCli('plan', '--stack', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/nope/);
    const badOption = await runCli('plan', '--stack', 'dev', '--frobnicate');
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/frobnicate/);
  });

  it('exits 1 with diagnostics, and prints no plan, when a spec is invalid', async () => {
    const run = await runCli('plan', join(INVALID, 'id-missing.yaml'), '--stack', 'dev', '--json');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/error MF-/);
    expect(run.stderr).toMatch(/^1 error\(s\), 0 warning\(s\)$/m);
  });
});

describe('meshform (the bin)', () => {
  it('loads kafkajs and Pulumi only for the verbs that need them', () => {
    const loaded = (argv: string[]) => {
      const script = `require('tsx/cjs');
        require('./src/cli/main.ts').main(${JSON.stringify(argv)}, { out() {}, err() {}, interactive: false }).then(() =>
          console.log(JSON.stringify(Object.keys(require.cache).filter((k) => /node_modules\\/(kafkajs|@pulumi)\\//.test(k)).length)));`;
      const res = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
      return Number(res.stdout.trim());
    };
    expect(loaded(['validate'])).toBe(0);
    expect(loaded(['plan', '--stack', 'dev'])).toBe(0);
    expect(loaded(['kafka', 'plan', '--help'])).toBe(0);
    expect(loaded(['kafka', 'plan', '--stack', 'dev', '--bootstrap', 'no-port'])).toBeGreaterThan(0);
  });

  it('answers an unknown command with exit 2 and a one-line message, no stack trace', () => {
    const res = spawnSync(process.execPath, [join(ROOT, 'bin', 'meshform.js'), 'frobnicate'], { cwd: ROOT, encoding: 'utf8' });
    expect(res.status).toBe(2);
    expect(res.stderr.trim()).toBe("meshform: unknown command 'frobnicate' (see 'meshform --help')");
  });

  it('exits 1 for a spec mistake without a stack trace', () => {
    const res = spawnSync(process.execPath, [join(ROOT, 'bin', 'meshform.js'), 'validate', join(INVALID, 'syntax-unclosed-json.json')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(res.status).toBe(1);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(res.stderr).toMatch(/syntax-unclosed-json\.json:\d+:\d+: error /);
  });
});
