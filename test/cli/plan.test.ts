/**
 * `meshform plan` as people read it: summary first, a compact view per product, filters, lineage
 * and the stack's changes to spec values. Whole outputs are recorded (test/cli/recorded/plan/) and
 * were reviewed by hand; the facts that matter are also checked against values worked out from
 * the specs and stacks here, so a recording cannot drift silently.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMesh } from '../../bench/generate';
import type { Plan } from '../../src/plan/types';
import { expectRecorded } from '../support/recorded';
import { runCli } from './support';

const RECORDED = join(__dirname, 'recorded', 'plan');
const WIDTH = 120;

const widest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));

describe('meshform plan on the example mesh', () => {
  it.each(['dev', 'staging', 'prod'])('stack %s: recorded, every line within 120 columns', async (stack) => {
    const run = await runCli('plan', '--stack', stack);
    expect(run.code).toBe(0);
    expect(widest(run.stdout)).toBeLessThanOrEqual(WIDTH);
    expectRecorded(join(RECORDED, `example-${stack}.txt`), run.stdout);
  });

  it('starts with the summary: products, domains, resources by kind, stack changes, lineage', async () => {
    const run = await runCli('plan', '--stack', 'dev', '--json');
    const plan = JSON.parse(run.stdout) as Plan;
    const text = (await runCli('plan', '--stack', 'dev')).stdout.split('\n');
    expect(text[0]).toBe(`Plan for stack 'dev' (GCP mode, project acme-data-dev): 11 products in 5 business domains, ${plan.resources.length} resources`);
    const count = (kind: string) => plan.resources.filter((r) => r.kind === kind).length;
    expect(text[1]).toBe(`  kafka:Topic${String(count('kafka:Topic')).padStart(32 - 'kafka:Topic'.length + 6)}`);
    expect(text[2]).toMatch(new RegExp(`^  kafka:Acl +${count('kafka:Acl')}$`));
    expect(text).toContain('Business domains: acme.analytics (2), acme.customer (1), acme.finance (3), acme.marketing (1), acme.retail (4)');
  });

  it("shows the stack's changes next to the spec's value (retail-orders on dev: partitionFactor 0.25, replicasCap 1)", async () => {
    const run = await runCli('plan', '--stack', 'dev', '--product', 'acme.retail.orders');
    // specs/retail-orders.yaml: order_placed has partitions 6, replicas 3, min.insync.replicas 2; ceil(6 * 0.25) = 2.
    expect(run.stdout).toContain(
      '  topic _public.order_placed  partitions 6 -> 2 (dev partitionFactor 0.25), replicas 3 -> 1 (dev replicasCap 1),\n' +
        '      cleanup.policy=delete, min.insync.replicas 2 -> 1 (dev replicasCap 1), retention.ms=604800000',
    );
    // order_state sets partitions 3 and no replicas: the stack's defaultReplicas (3), capped.
    expect(run.stdout).toContain('  topic _private.order_state  partitions 3 -> 1 (dev partitionFactor 0.25),\n      replicas 3 -> 1 (dev defaultReplicas, replicasCap 1), cleanup.policy=compact');
    const prod = await runCli('plan', '--stack', 'prod', '--product', 'acme.retail.orders');
    expect(prod.stdout).toContain('  topic _public.order_placed  partitions 6, replicas 3, cleanup.policy=delete, min.insync.replicas=2,\n      retention.ms=604800000');
    expect(prod.stdout).toContain("Stack 'prod' changes spec values: none; 1 topic without replicas: defaultReplicas 3");
  });

  it('names the producer and the consumers of each topic, from the receive operations in the specs', async () => {
    const run = await runCli('plan', '--stack', 'prod', '--product', 'acme.retail.orders');
    // The specs with a receive on acme.retail.orders._public.order_placed (grep order_placed specs/).
    expect(run.stdout).toContain(
      '    public; produced by the owner; consumed by acme.analytics.customer360, acme.analytics.sales_dashboard,\n' +
        '      acme.marketing.campaigns, acme.retail.inventory, acme.retail.shipping',
    );
    expect(run.stdout).toContain('    protected, granted to acme.finance.billing; produced by the owner; consumed by acme.finance.billing');
    expect(run.stdout).toContain('    private; produced by the owner; consumed by the owner');
  });

  it('folds the owner ACLs into one line and lists them all with --verbose', async () => {
    const folded = await runCli('plan', '--stack', 'prod', '--product', 'acme.retail.orders');
    // 4 operations on each of the 3 visibility prefixes, 2 on groups and 2 on transactional ids under each of `<id>.` and `<id>-`.
    expect(folded.stdout).toContain(
      '  kafka ACLs 20 owner PREFIXED acme.retail.orders. and acme.retail.orders-; 4 reader LITERAL; --verbose lists all',
    );
    expect(folded.stdout).not.toMatch(/ALLOW User:acme\.retail\.orders/);
    const verbose = await runCli('plan', '--stack', 'prod', '--product', 'acme.retail.orders', '--verbose');
    expect(verbose.stdout.match(/^ {4}ALLOW User:acme\.retail\.orders /gm)).toHaveLength(20);
    expectRecorded(join(RECORDED, 'retail-orders-prod-verbose.txt'), verbose.stdout);
  });
});

describe('meshform plan --product / --kind', () => {
  it('selects products by id or dotted prefix, in both the text and the JSON', async () => {
    const json = JSON.parse((await runCli('plan', '--stack', 'dev', '--product', 'acme.retail', '--json')).stdout) as Plan;
    expect(json.products.map((p) => p.id)).toEqual(['acme.retail.inventory', 'acme.retail.orders', 'acme.retail.returns', 'acme.retail.shipping']);
    expect(new Set(json.resources.map((r) => r.product))).toEqual(new Set(json.products.map((p) => p.id)));
    const text = await runCli('plan', '--stack', 'dev', '-p', 'acme.retail', '-p', 'acme.finance.billing');
    expect(text.stdout).toMatch(/^ {2}selected: 5 of 11 products by --product acme.retail --product acme.finance.billing$/m);
  });

  it('lists every resource of the selected kinds; a family or last segment works, case-insensitive', async () => {
    const all = JSON.parse((await runCli('plan', '--stack', 'dev', '--json')).stdout) as Plan;
    const acls = JSON.parse((await runCli('plan', '--stack', 'dev', '--kind', 'acl', '--json')).stdout) as Plan;
    expect(acls.resources).toEqual(all.resources.filter((r) => r.kind === 'kafka:Acl'));
    const kafka = JSON.parse((await runCli('plan', '--stack', 'dev', '--kind', 'kafka', '--json')).stdout) as Plan;
    expect(new Set(kafka.resources.map((r) => r.kind))).toEqual(new Set(['kafka:Topic', 'kafka:Acl']));
    const run = await runCli('plan', '--stack', 'dev', '--product', 'acme.finance.billing', '--kind', 'gcp:bigquery');
    expect(run.code).toBe(0);
    expectRecorded(join(RECORDED, 'billing-dev-kind-gcp-bigquery.txt'), run.stdout);
  });

  it.each([
    [['--product', 'acme.ret'], "meshform plan: --product acme.ret matches no product in the mesh (did you mean acme.retail?) (see 'meshform plan --help')"],
    [['--product', 'acme.retial'], "meshform plan: --product acme.retial matches no product in the mesh (did you mean acme.retail?) (see 'meshform plan --help')"],
    [['--product', 'acme.retail.order'], "meshform plan: --product acme.retail.order matches no product in the mesh (did you mean acme.retail.orders?) (see 'meshform plan --help')"],
    [['--kind', 'kafka:acls'], /^meshform plan: --kind kafka:acls matches no resource kind \(did you mean kafka:Acl\?\); kinds: kafka:Topic, kafka:Acl, /],
  ])('%j matches nothing: exit 2 with the nearest name', async (args, message) => {
    const run = await runCli('plan', '--stack', 'dev', ...(args as string[]));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    if (typeof message === 'string') expect(run.stderr).toBe(message);
    else expect(run.stderr).toMatch(message);
  });
});

describe('meshform plan on 200 generated products', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'meshform-plan-200-'));
    generateMesh(dir, 200, 3);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('first screen is the summary; every line within 120 columns', async () => {
    const run = await runCli('plan', dir, '--stack', 'dev');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(widest(run.stdout)).toBeLessThanOrEqual(WIDTH);
    // The first product starts after the summary, which fits a 24-line terminal.
    const firstProduct = lines.findIndex((l) => /^bench\.domain/.test(l));
    expect(firstProduct).toBeGreaterThan(8);
    expect(firstProduct).toBeLessThan(24);
    expectRecorded(join(RECORDED, 'generated-200-first-screen.txt'), lines.slice(0, firstProduct + 12).join('\n').split(dir).join('<generated>'));
    // Before: a header per product and one line per resource. Now about half, ACLs folded.
    const plan = JSON.parse((await runCli('plan', dir, '--stack', 'dev', '--json')).stdout) as Plan;
    const before = 1 + 2 * plan.products.length + plan.resources.length;
    expect(lines.length).toBeLessThan(before / 2);
  });
});
