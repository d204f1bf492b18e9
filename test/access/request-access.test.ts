/**
 * `meshform request-access` on copies of specs in a scratch git repository. Oracles: the expected
 * added lines are written by hand here, every other byte must equal the original (compared line by
 * line), and git itself judges the patch (`git apply --check`, then `git am` must give the same file
 * as the in-place edit). Every refusal case exits 1 with its reason and leaves the spec alone.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/support';

const EXAMPLE = join(__dirname, '..', '..', 'specs');

let repo: string;

function git(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('git', ['-C', repo, '-c', 'user.name=Test Owner', '-c', 'user.email=owner@example.com', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh repository holding the example specs plus `extra` files under specs/. */
function freshRepo(extra: Record<string, string> = {}): void {
  repo = mkdtempSync(join(tmpdir(), 'meshform-request-'));
  cpSync(EXAMPLE, join(repo, 'specs'), { recursive: true });
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(repo, 'specs', name), text);
  expect(git('init', '-q').status).toBe(0);
  expect(git('add', '-A').status).toBe(0);
  expect(git('commit', '-qm', 'specs').status).toBe(0);
}

const specs = () => join(repo, 'specs');
const read = (name: string) => readFileSync(join(specs(), name), 'utf8');

/** `after` is `before` with exactly `added` inserted as whole lines before line `at` (1-based) of `before`. */
function expectInserted(before: string, after: string, at: number, added: string[]): void {
  const lines = before.split('\n');
  const expected = [...lines.slice(0, at - 1), ...added, ...lines.slice(at - 1)].join('\n');
  expect(after).toBe(expected);
}

// A 3.0 spec written with comments, quoted scalars and an unusual key order, protected channels with and without tags.
const COMMENTED = `# Alerts, owned by the ops team.
asyncapi: '3.0.0'
id: "urn:acme:ops:alerts"
info:
  version: 1.0.0   # bumped by CI
  title: Alerts
x-meshform:
  owners: ['user:ops@acme.com']
channels:
  # Paging commands: only the on-call product may read these.
  pages:
    description: "Pages sent to on-call"   # shown in the catalog
    address: '_protected.pages'
  silences:
    address: _protected.silences
    tags:
    - name: 'grant-access:urn:acme:retail:orders'   # orders mutes its own alerts
  mutes:
    address: _protected.mutes
    tags: [{name: "grant-access:urn:acme:retail:orders"}]

operations:
  sendPages: {action: send, channel: {$ref: '#/channels/pages'}}
`;

// The same kind of spec in JSON, one protected channel without tags.
const JSON_SPEC = `{
  "asyncapi": "3.0.0",
  "id": "urn:acme:ops:metrics",
  "info": { "title": "Metrics", "version": "1.0.0" },
  "x-meshform": { "owners": ["user:ops@acme.com"] },
  "channels": {
    "samples": {
      "address": "_protected.samples",
      "description": "Raw samples"
    }
  }
}
`;

beforeEach(() => freshRepo({ 'ops-alerts.yaml': COMMENTED, 'ops-metrics.json': JSON_SPEC }));
afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe('meshform request-access edits the owner spec minimally', () => {
  it('3.0 YAML channel with tags: one line after the last grant, the diff printed, git sees only that line', async () => {
    const before = read('retail-orders.yaml');
    const run = await runCli('request-access', 'acme.retail.orders._protected.order_payment', '--for', 'urn:acme:analytics:customer360', '--specs', specs());
    expect(run.stderr).toContain('added grant-access:urn:acme:analytics:customer360 to');
    expect(run.code).toBe(0);
    // specs/retail-orders.yaml line 40 is `      - name: grant-access:urn:acme:finance:billing`.
    expectInserted(before, read('retail-orders.yaml'), 41, ['      - name: grant-access:urn:acme:analytics:customer360']);
    expect(run.stdout).toContain('+      - name: grant-access:urn:acme:analytics:customer360');
    expect(git('diff', '--numstat').stdout.trim()).toBe('1\t0\tspecs/retail-orders.yaml');
  });

  it('2.x YAML channel: on the send operation (subscribe) tags, after the existing grant', async () => {
    const before = read('finance-billing.yaml');
    const run = await runCli('request-access', 'acme.finance.billing._protected.invoice_issued', '--for', 'urn:acme:marketing:campaigns', '--specs', specs());
    expect(run.code).toBe(0);
    expectInserted(before, read('finance-billing.yaml'), 22, ['        - name: grant-access:urn:acme:marketing:campaigns']);
  });

  it('comments, quote style and key order are kept; a channel without tags gets a tags list after its last key, its dash where the file puts dashes', async () => {
    const run = await runCli('request-access', 'acme.ops.alerts._protected.pages', '--for', 'urn:acme:retail:orders', '--specs', specs());
    expect(run.code).toBe(0);
    expectInserted(COMMENTED, read('ops-alerts.yaml'), 14, ['    tags:', '    - name: grant-access:urn:acme:retail:orders']);
  });

  it('a list written with the dash at the key column and single-quoted names gets the same style', async () => {
    const run = await runCli('request-access', 'acme.ops.alerts._protected.silences', '--for', 'urn:acme:finance:billing', '--specs', specs());
    expect(run.code).toBe(0);
    expectInserted(COMMENTED, read('ops-alerts.yaml'), 18, ["    - name: 'grant-access:urn:acme:finance:billing'"]);
  });

  it('a flow list gets one more item in it, in the same quote style', async () => {
    const run = await runCli('request-access', 'acme.ops.alerts._protected.mutes', '--for', 'urn:acme:finance:billing', '--specs', specs());
    expect(run.code).toBe(0);
    expect(read('ops-alerts.yaml')).toBe(
      COMMENTED.replace('tags: [{name: "grant-access:urn:acme:retail:orders"}]', 'tags: [{name: "grant-access:urn:acme:retail:orders"}, {name: "grant-access:urn:acme:finance:billing"}]'),
    );
  });

  it('--write on a protected channel adds grant-write', async () => {
    const run = await runCli('request-access', 'acme.ops.alerts._protected.pages', '--for', 'urn:acme:retail:orders', '--write', '--specs', specs());
    expect(run.code).toBe(0);
    expectInserted(COMMENTED, read('ops-alerts.yaml'), 14, ['    tags:', '    - name: grant-write:urn:acme:retail:orders']);
  });

  it('JSON spec: stays JSON with its layout, the new key after the last one', async () => {
    const run = await runCli('request-access', 'acme.ops.metrics._protected.samples', '--for', 'urn:acme:retail:orders', '--specs', specs());
    expect(run.code).toBe(0);
    const after = read('ops-metrics.json');
    expect(after).toBe(JSON_SPEC.replace('"description": "Raw samples"\n', '"description": "Raw samples",\n      "tags": [{ "name": "grant-access:urn:acme:retail:orders" }]\n'));
    expect(JSON.parse(after).channels.samples.tags).toEqual([{ name: 'grant-access:urn:acme:retail:orders' }]);
  });

  it('the edited mesh validates and plans the new grant (the edit is what meshform reads)', async () => {
    await runCli('request-access', 'acme.ops.alerts._protected.pages', '--for', 'urn:acme:retail:orders', '--specs', specs());
    const run = await runCli('plan', specs(), '--stack', 'dev', '--json');
    expect(run.code).toBe(0);
    const acls = (JSON.parse(run.stdout) as { resources: Array<{ kind: string; properties: Record<string, string> }> }).resources.filter(
      (r) => r.kind === 'kafka:Acl' && r.properties.resourceName === 'acme.ops.alerts._protected.pages',
    );
    expect(acls.map((a) => `${a.properties.principal} ${a.properties.operation}`)).toContain('User:acme.retail.orders READ');
  });
});

describe('meshform request-access --patch', () => {
  it.each([
    ['retail-orders.yaml', 'acme.retail.orders._protected.order_payment', []],
    ['finance-billing.yaml', 'acme.finance.billing._protected.invoice_issued', []],
    ['ops-alerts.yaml', 'acme.ops.alerts._protected.pages', ['--write']],
    ['ops-metrics.json', 'acme.ops.metrics._protected.samples', []],
  ])('%s: the spec is left alone; git apply --check accepts the patch, git am applies it as the in-place edit would', async (file, topic, flags) => {
    const before = read(file);
    const patch = join(repo, 'request.patch');
    const run = await runCli('request-access', topic, '--for', 'urn:acme:marketing:campaigns', ...flags, '--specs', specs(), '--patch', patch);
    expect(run.code).toBe(0);
    expect(read(file)).toBe(before);
    const check = git('apply', '--check', patch);
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    const am = git('am', patch);
    expect(am.stderr).toBe('');
    expect(am.status).toBe(0);
    expect(git('log', '-1', '--format=%s').stdout.trim()).toBe(`Grant urn:acme:marketing:campaigns ${flags.length ? 'write' : 'read'} access to ${topic}`);
    // Added and removed lines: the tag's line (and `tags:` when the channel had none); JSON also rewrites the line that gains a comma.
    const numstat: Record<string, string> = { 'retail-orders.yaml': '1\t0', 'finance-billing.yaml': '1\t0', 'ops-alerts.yaml': '2\t0', 'ops-metrics.json': '2\t1' };
    expect(git('show', '--numstat', '--format=').stdout.trim()).toBe(`${numstat[file]}\tspecs/${file}`);
    const applied = read(file);
    git('reset', '-q', '--hard', 'HEAD~1');
    expect(read(file)).toBe(before);
    await runCli('request-access', topic, '--for', 'urn:acme:marketing:campaigns', ...flags, '--specs', specs());
    expect(read(file)).toBe(applied);
  });

  it('an existing patch file is not overwritten (exit 2)', async () => {
    const patch = join(repo, 'exists.patch');
    writeFileSync(patch, 'mine');
    const run = await runCli('request-access', 'acme.retail.orders._protected.order_payment', '--for', 'urn:acme:marketing:campaigns', '--specs', specs(), '--patch', patch);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('exists already');
    expect(readFileSync(patch, 'utf8')).toBe('mine');
  });
});

describe('meshform request-access refuses with the reason', () => {
  const refusals: Array<[string, string[], RegExp]> = [
    ['a public topic', ['acme.retail.orders._public.order_placed'], /is public: every product may read it already, no grant is needed/],
    ['a private topic', ['acme.retail.orders._private.order_state'], /is private: private topics are owner-only and take no grant/],
    ['an unknown topic, with the nearest name', ['acme.retail.orders._protected.order_paymnet'], /no spec declares topic acme\.retail\.orders\._protected\.order_paymnet \(did you mean acme\.retail\.orders\._protected\.order_payment\?\)/],
    ['a grant that exists', ['acme.retail.orders._protected.order_payment', '--for', 'urn:acme:finance:billing'], /urn:acme:finance:billing may read acme\.retail\.orders\._protected\.order_payment already: granted at .*retail-orders\.yaml:40:/],
    ['a write grant on a private topic', ['acme.retail.orders._private.order_state', '--write'], /is private: only a _protected topic takes writes from other products/],
    ['the owner asking for its own topic', ['acme.retail.orders._protected.order_payment', '--for', 'urn:acme:retail:orders'], /is acme\.retail\.orders's own topic/],
    ['a write grant on a public topic', ['acme.retail.orders._public.order_placed', '--write'], /is public: only a _protected topic takes writes from other products/],
  ];
  it.each(refusals)('%s: exit 1, nothing written', async (_case, args, reason) => {
    const forArgs = args.includes('--for') ? [] : ['--for', 'urn:acme:marketing:campaigns'];
    const run = await runCli('request-access', ...args, ...forArgs, '--specs', specs());
    expect(run.stderr).toMatch(reason);
    expect(run.stderr).toContain('refused');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(git('status', '--porcelain').stdout).toBe('');
  });

  it('an existing write grant is refused with its place', async () => {
    const inputs = join(__dirname, '..', 'fixtures', 'specs', 'valid', 'mesh-input-topic');
    const run = await runCli('request-access', 'acme.retail.orders._protected.order_commands', '--for', 'urn:acme:ops:alerting', '--write', '--specs', inputs);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/urn:acme:ops:alerting may write to acme\.retail\.orders\._protected\.order_commands already: granted at .*orders\.yaml:17:/);
  });

  it('a channel written as a $ref: refused, since a tag beside a $ref would grant nothing', async () => {
    const pagingSpec = `asyncapi: 3.0.0
id: urn:acme:ops:paging
info: {title: Paging, version: 1.0.0}
x-meshform: {owners: ['user:ops@acme.com']}
channels:
  pages:
    $ref: './shared/pages.yaml#/pages'
`;
    const dir = mkdtempSync(join(tmpdir(), 'meshform-request-ref-'));
    try {
      writeFileSync(join(dir, 'paging.yaml'), pagingSpec);
      cpSync(join(specs(), 'retail-orders.yaml'), join(dir, 'retail-orders.yaml'));
      // A folder of shared definitions that is not a spec itself.
      mkdirSync(join(dir, 'shared'));
      writeFileSync(join(dir, 'shared', 'pages.yaml'), 'pages:\n  address: _protected.pages\n');
      const run = await runCli('request-access', 'acme.ops.paging._protected.pages', '--for', 'urn:acme:retail:orders', '--specs', join(dir, 'paging.yaml'));
      expect(run.stderr).toContain('channels.pages is a $ref to ./shared/pages.yaml#/pages, and a tag beside a $ref is not read; add the tag where it points');
      expect(run.code).toBe(1);
      expect(readFileSync(join(dir, 'paging.yaml'), 'utf8')).toBe(pagingSpec);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a --for that is not a product urn is a usage error (exit 2)', async () => {
    const run = await runCli('request-access', 'acme.retail.orders._protected.order_payment', '--for', 'acme.marketing.campaigns', '--specs', specs());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not a product URN');
  });

  it('unreadable specs are a usage error (exit 2)', async () => {
    const run = await runCli('request-access', 'acme.retail.orders._protected.order_payment', '--for', 'urn:acme:marketing:campaigns', '--specs', join(repo, 'nope'));
    expect(run.code).toBe(2);
    expect(existsSync(join(repo, 'nope'))).toBe(false);
  });
});

describe('meshform request-access in the SpecMesh dialect', () => {
  it("2.x publish operation, the grantee by domain id as the file's other grants (SpecMesh's own form)", async () => {
    const specmesh = join(__dirname, '..', 'fixtures', 'specmesh');
    const dir = mkdtempSync(join(tmpdir(), 'meshform-request-specmesh-'));
    try {
      cpSync(specmesh, dir, { recursive: true });
      const file = join(dir, 'ops', 'sim.ops.crews-api.yaml');
      const before = readFileSync(file, 'utf8');
      const run = await runCli('request-access', 'sim.ops.crews._protected.crew_status', '--for', 'urn:sim:billing:invoices', '--specs', dir);
      expect(run.code).toBe(0);
      expect(run.stderr).not.toContain('no spec');
      // Line 34 of the crews spec is `        - name: 'grant-access:sim.ops.dispatch'`, under the publish operation.
      expectInserted(before, readFileSync(file, 'utf8'), 35, ["        - name: 'grant-access:sim.billing.invoices'"]);
      const again = await runCli('request-access', 'sim.ops.crews._protected.crew_status', '--for', 'urn:sim:billing:invoices', '--specs', dir);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('already');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
