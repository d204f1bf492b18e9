/**
 * `meshform stacks plan`: a mesh split into stacks by business domain or id prefix. The expected
 * splits are written by hand from the example specs (their `id:` lines) and from small fixtures;
 * written stack files are read back with the yaml library and used by `meshform plan` itself.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { Plan } from '../../src/plan/types';
import { expectRecorded } from '../support/recorded';
import { runCli } from './support';

const ROOT = path.join(__dirname, '..', '..');
const NESTED = path.join(ROOT, 'test', 'fixtures', 'specs', 'valid', 'mesh-nested-product-ids');

/** The example mesh by business domain (specs/*.yaml|json, `id:` urn minus its last segment). */
const EXAMPLE_BY_DOMAIN = {
  analytics: ['acme.analytics.customer360', 'acme.analytics.sales_dashboard'],
  customer: ['acme.customer.profiles'],
  finance: ['acme.finance.billing', 'acme.finance.ledger', 'acme.finance.payments'],
  marketing: ['acme.marketing.campaigns'],
  retail: ['acme.retail.inventory', 'acme.retail.orders', 'acme.retail.returns', 'acme.retail.shipping'],
};

/** The built CLI in another folder (stack files are read and written relative to it). */
function meshform(cwd: string, ...args: string[]) {
  const res = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'meshform.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, MESHFORM_KAFKA_BOOTSTRAP: '' } });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('meshform stacks plan on the example mesh', () => {
  it('--by domain --json: one stack per business domain, each selecting its domain', async () => {
    const run = await runCli('stacks', 'plan', '--by', 'domain', '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { stacks: Record<string, { products: string[]; config: Record<string, string> }>; problems: unknown[] };
    expect(Object.fromEntries(Object.entries(out.stacks).map(([name, s]) => [name, s.products]))).toEqual(EXAMPLE_BY_DOMAIN);
    expect(out.stacks.retail.config).toEqual({ 'meshform:domains': 'acme.retail' });
    expect(out.problems).toEqual([]);
  });

  it('human output: recorded; names carry the environment given with --stack', async () => {
    const run = await runCli('stacks', 'plan', '--by', 'domain', '--stack', 'dev');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('5 stack(s) for 11 product(s), by domain (environment dev):');
    expect(run.stdout).toContain('  dev-finance    meshform:domains: acme.finance  3 product(s): acme.finance.billing, acme.finance.ledger, acme.finance.payments');
    expectRecorded(path.join(__dirname, 'recorded', 'stacks', 'example-by-domain-dev.txt'), run.stdout);
  });

  it('--by prefix --depth 3: one stack per product id here', async () => {
    const run = await runCli('stacks', 'plan', '--by', 'prefix', '--depth', '3', '--json');
    const out = JSON.parse(run.stdout) as { stacks: Record<string, { products: string[]; config: Record<string, string> }> };
    const all = Object.values(EXAMPLE_BY_DOMAIN).flat();
    expect(Object.values(out.stacks).map((s) => s.products)).toEqual(all.map((id) => [id]));
    expect(out.stacks['retail-orders'].config).toEqual({ 'meshform:products': 'acme.retail.orders' });
  });

  it('usage errors: --depth without --by prefix, --write without --stack, an unknown --by', async () => {
    expect((await runCli('stacks', 'plan', '--by', 'domain', '--depth', '2')).stderr).toContain('--depth applies to --by prefix');
    const write = await runCli('stacks', 'plan', '--by', 'domain', '--write');
    expect([write.code, write.stderr]).toEqual([2, expect.stringContaining('--write needs --stack <env>')]);
    const by = await runCli('stacks', 'plan', '--by', 'team');
    expect(by.code).toBe(2);
    expect(by.stderr).toMatch(/argument 'team' is invalid.*domain, prefix/);
  });
});

describe('every product in exactly one stack', () => {
  it('nested ids split by prefix at depth 3: acme.user also selects acme.user.profile, which is then in two stacks (exit 1)', async () => {
    const run = await runCli('stacks', 'plan', NESTED, '--by', 'prefix', '--depth', '3');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('meshform stacks plan: acme.user.profile is in 2 stacks of this split: user, user-profile');
  });

  it('the same by domain: acme (acme.user, acme.userprops) and acme.user (acme.user.profile), no overlap', async () => {
    const run = await runCli('stacks', 'plan', NESTED, '--by', 'domain', '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { stacks: Record<string, { products: string[] }> };
    expect(Object.fromEntries(Object.entries(out.stacks).map(([n, s]) => [n, s.products]))).toEqual({
      acme: ['acme.user', 'acme.userprops'],
      'acme-user': ['acme.user.profile'],
    });
  });
});

describe('--write: stack files a project can run', () => {
  let project: string;
  beforeAll(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'meshform-stacks-'));
    fs.cpSync(path.join(ROOT, 'specs'), path.join(project, 'specs'), { recursive: true });
    fs.mkdirSync(path.join(project, 'stacks'));
    // prod: protected by default (its name), a secret, Pulumi's salt.
    fs.writeFileSync(
      path.join(project, 'stacks', 'Pulumi.prod.yaml'),
      [
        'encryptionsalt: v1:abc=:v1:def:ghi==',
        'config:',
        '  meshform:gcpProject: acme-data-prod',
        '  meshform:kafkaBootstrap: kafka.prod:9092',
        '  meshform:kafkaPassword:',
        '    secure: v1:AAAABBBBCCCC',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  it('writes one file per domain: the environment\'s plain settings, its label and protection, the selection; no secret', () => {
    const run = meshform(project, 'stacks', 'plan', '--by', 'domain', '--stack', 'prod', '--write');
    expect(run.code).toBe(0);
    expect(fs.readdirSync(path.join(project, 'stacks')).sort()).toEqual(
      ['Pulumi.prod.yaml', ...Object.keys(EXAMPLE_BY_DOMAIN).map((d) => `Pulumi.prod-${d}.yaml`)].sort(),
    );
    const retail = parse(fs.readFileSync(path.join(project, 'stacks', 'Pulumi.prod-retail.yaml'), 'utf8')) as Record<string, unknown>;
    expect(retail).toEqual({
      config: {
        'meshform:gcpProject': 'acme-data-prod',
        'meshform:kafkaBootstrap': 'kafka.prod:9092',
        'meshform:environment': 'prod',
        'meshform:protect': true,
        'meshform:domains': 'acme.retail',
      },
    });
    expect(run.stderr).toContain('secrets are not copied (encrypted per stack): set meshform:kafkaPassword in each new stack');
  });

  it('meshform plan of a written stack has exactly its domain\'s products, labelled with the environment', () => {
    const run = meshform(project, 'plan', '--stack', 'prod-retail', '--json');
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as Plan;
    expect(plan.products.map((p) => p.id)).toEqual(EXAMPLE_BY_DOMAIN.retail);
    expect(new Set(plan.resources.map((r) => r.product))).toEqual(new Set(EXAMPLE_BY_DOMAIN.retail));
    const dataset = plan.resources.find((r) => r.kind === 'gcp:bigquery:Dataset');
    expect(dataset && 'labels' in dataset.properties && dataset.properties.labels.environment).toBe('prod');
  });

  it('a product in a domain no stack file selects yet is named (exit 1); --write adds its stack', () => {
    const spec = fs.readFileSync(path.join(project, 'specs', 'retail-returns.yaml'), 'utf8').replace('urn:acme:retail:returns', 'urn:acme:logistics:fleet');
    fs.writeFileSync(path.join(project, 'specs', 'logistics-fleet.yaml'), spec.replace(/acme\.retail\.returns/g, 'acme.logistics.fleet'));
    const check = meshform(project, 'stacks', 'plan', '--by', 'domain', '--stack', 'prod');
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('acme.logistics.fleet is in no stack among the stack files of prod that select products');
    const write = meshform(project, 'stacks', 'plan', '--by', 'domain', '--stack', 'prod', '--write');
    expect(write.code).toBe(0);
    expect(fs.existsSync(path.join(project, 'stacks', 'Pulumi.prod-logistics.yaml'))).toBe(true);
  });

  it('an existing stack file that selects other products is not overwritten without --force (exit 2)', () => {
    fs.writeFileSync(path.join(project, 'stacks', 'Pulumi.prod-finance.yaml'), 'config:\n  meshform:gcpProject: acme-data-prod\n  meshform:domains: acme.retail\n');
    const run = meshform(project, 'stacks', 'plan', '--by', 'domain', '--stack', 'prod', '--write');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Pulumi.prod-finance.yaml exists and selects other products; pass --force');
    const forced = meshform(project, 'stacks', 'plan', '--by', 'domain', '--stack', 'prod', '--write', '--force');
    expect(forced.code).toBe(0);
    expect(parse(fs.readFileSync(path.join(project, 'stacks', 'Pulumi.prod-finance.yaml'), 'utf8'))).toEqual({
      config: { 'meshform:gcpProject': 'acme-data-prod', 'meshform:domains': 'acme.finance' },
    });
  });
});
