/**
 * `meshform breaking`: each kind of change on a small two-product mesh (orders owns the topics,
 * billing consumes them), compared as folders and as git revisions. Expected findings are
 * written by hand from the edit each test makes.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { runCli } from '../cli/support';
import { tempTree, type TempTree } from '../schemas/support';

const BIN = path.resolve(__dirname, '../../bin/meshform.js');

interface OrdersOptions {
  placedAddress?: string;
  placedPartitions?: number;
  placedCleanup?: string;
  placedFields?: Array<{ name: string; type: unknown; default?: unknown }>;
  placedKey?: unknown;
  paymentGrants?: string[];
  /** `grant-write:` tags on the payment topic. */
  paymentWriters?: string[];
  paymentAddress?: string;
  paymentProperties?: Record<string, unknown>;
  extraTopic?: boolean;
}

function orders(o: OrdersOptions = {}): string {
  const fields = o.placedFields ?? [{ name: 'orderId', type: 'string' }, { name: 'total', type: 'double' }];
  const lines = [
    'asyncapi: 3.0.0',
    'id: urn:acme:retail:orders',
    'info: {title: Orders, version: 1.0.0}',
    'x-meshform:',
    '  owners: [user:alice@acme.com]',
    'channels:',
    '  placed:',
    `    address: ${o.placedAddress ?? '_public.order_placed'}`,
    '    messages:',
    '      placed:',
    '        payload:',
    '          schemaFormat: application/vnd.apache.avro;version=1.9.0',
    `          schema: ${JSON.stringify({ type: 'record', name: 'OrderPlaced', fields })}`,
    ...(o.placedKey !== undefined ? ['        bindings:', '          kafka:', `            key: ${JSON.stringify(o.placedKey)}`] : []),
    '    bindings:',
    '      kafka:',
    `        partitions: ${o.placedPartitions ?? 6}`,
    '        topicConfiguration:',
    `          cleanup.policy: [${o.placedCleanup ?? 'delete'}]`,
    '  payment:',
    `    address: ${o.paymentAddress ?? '_protected.order_payment'}`,
    ...((o.paymentGrants ?? ['urn:acme:finance:billing']).length || o.paymentWriters?.length
      ? ['    tags:', ...(o.paymentGrants ?? ['urn:acme:finance:billing']).map((g) => `      - name: grant-access:${g}`), ...(o.paymentWriters ?? []).map((g) => `      - name: grant-write:${g}`)]
      : []),
    '    messages:',
    '      payment:',
    `        payload: ${JSON.stringify({ type: 'object', properties: o.paymentProperties ?? { orderId: { type: 'string' }, amount: { type: 'number' } } })}`,
    ...(o.extraTopic ? ['  returns:', '    address: _public.order_returned', '    messages:', '      returned:', '        payload: {type: object}'] : []),
    'operations:',
    "  sendPlaced: {action: send, channel: {$ref: '#/channels/placed'}}",
    "  sendPayment: {action: send, channel: {$ref: '#/channels/payment'}}",
    ...(o.extraTopic ? ["  sendReturned: {action: send, channel: {$ref: '#/channels/returns'}}"] : []),
  ];
  return `${lines.join('\n')}\n`;
}

const BILLING = `asyncapi: 3.0.0
id: urn:acme:finance:billing
info: {title: Billing, version: 1.0.0}
x-meshform:
  owners: [user:bob@acme.com]
channels:
  placed:
    address: acme.retail.orders._public.order_placed
  payment:
    address: acme.retail.orders._protected.order_payment
operations:
  readPlaced: {action: receive, channel: {$ref: '#/channels/placed'}}
  readPayment: {action: receive, channel: {$ref: '#/channels/payment'}}
`;

const trees: TempTree[] = [];
afterAll(() => trees.forEach((t) => t.cleanup()));

/** Old mesh in before/, new mesh in after/; runs `breaking after --against before`. */
async function compare(after: OrdersOptions, before: OrdersOptions = {}, billing = BILLING) {
  const t = tempTree({ 'before/orders.yaml': orders(before), 'before/billing.yaml': BILLING, 'after/orders.yaml': orders(after), 'after/billing.yaml': billing });
  trees.push(t);
  const run = await runCli('breaking', path.join(t.dir, 'after'), '--against', path.join(t.dir, 'before'), '--json');
  const out = JSON.parse(run.stdout) as { breaking: number; compatible: number; findings: Array<{ code: string; breaking: boolean; message: string; location?: { file: string; line: number } }> };
  return { run, out, codes: out.findings.map((f) => f.code), dir: t.dir };
}

const PLACED = 'acme.retail.orders._public.order_placed';
const PAYMENT = 'acme.retail.orders._protected.order_payment';

describe('meshform breaking', () => {
  it('finds nothing when nothing changed', async () => {
    const { run, out } = await compare({});
    expect(run.code).toBe(0);
    expect(out).toEqual({ against: expect.any(String), breaking: 0, compatible: 0, findings: [] });
  });

  it('a consumed topic removed: breaking, naming the consumer', async () => {
    const t = tempTree({
      'before/orders.yaml': orders(),
      'before/billing.yaml': BILLING,
      'after/orders.yaml': orders().replace(/ {2}placed:\n {4}address: _public\.order_placed[\s\S]*?(?= {2}payment:)/, '').replace(/ {2}sendPlaced.*\n/, ''),
      'after/billing.yaml': BILLING,
    });
    trees.push(t);
    const run = await runCli('breaking', path.join(t.dir, 'after'), '--against', path.join(t.dir, 'before'));
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${t.dir}/after/orders\\.yaml:1:1: breaking MF-BREAK-TOPIC-REMOVED: topic ${PLACED.replace(/\./g, '\\.')} \\(declared at ${t.dir}/before/orders\\.yaml:8\\) removed while acme\\.finance\\.billing still receives from it$`));
    expect(lines.pop()).toBe(`1 breaking change(s), 0 compatible change(s) against ${path.join(t.dir, 'before')}`);
  });

  it('a consumed topic renamed: breaking, naming the new name', async () => {
    const { run, out } = await compare({ placedAddress: '_public.order_created' });
    expect(run.code).toBe(1);
    expect(out.findings).toEqual([
      expect.objectContaining({ code: 'MF-BREAK-TOPIC-RENAMED', breaking: true, message: expect.stringMatching(new RegExp(`^topic ${PLACED} \\(declared at .*\\) renamed to acme\\.retail\\.orders\\._public\\.order_created while acme\\.finance\\.billing still receives from it$`)) }),
    ]);
  });

  it('visibility narrowed (the topic is renamed with it): breaking for whoever still reads it, old name or new', async () => {
    const moved = await compare({ placedAddress: '_protected.order_placed' }, {}, BILLING.replace('_public.order_placed', '_protected.order_placed'));
    expect(moved.run.code).toBe(1);
    expect(moved.out.findings.map((f) => [f.code, f.message])).toEqual([
      ['MF-BREAK-VISIBILITY', `topic ${PLACED} narrowed from public to protected (now acme.retail.orders._protected.order_placed) while acme.finance.billing receives from it without access`],
    ]);
    const stayed = await compare({ placedAddress: '_protected.order_placed' });
    expect(stayed.out.findings.map((f) => f.code)).toEqual(['MF-BREAK-TOPIC-RENAMED']);
    const granted = await compare(
      { placedAddress: '_protected.order_placed' },
      {},
      BILLING.replace('_public.order_placed', '_protected.order_placed'),
    );
    expect(granted.out.findings.map((f) => f.code)).toEqual(['MF-BREAK-VISIBILITY']);
  });

  it('a grant removed from a product that consumes: breaking', async () => {
    const grant = await compare({ paymentGrants: [] });
    expect(grant.run.code).toBe(1);
    expect(grant.out.findings).toEqual([
      { code: 'MF-BREAK-GRANT-REMOVED', breaking: true, topic: PAYMENT, product: 'acme.retail.orders', location: expect.objectContaining({ line: 20, col: 14 }), message: `grant to acme.finance.billing on ${PAYMENT} removed while acme.finance.billing receives from it` },
    ]);
  });

  it('a write grant removed while the writer still sends: breaking; while it no longer does: compatible; added: compatible', async () => {
    // Billing writes payment corrections to the orders' input topic (its own spec sends to it).
    const writer = BILLING.replace("readPayment: {action: receive", "sendCorrection: {action: send, channel: {$ref: '#/channels/payment'}}\n  readPayment: {action: receive");
    const setup = (after: OrdersOptions, billingAfter: string) => {
      const t = tempTree({ 'before/orders.yaml': orders({ paymentWriters: ['urn:acme:finance:billing'] }), 'before/billing.yaml': writer, 'after/orders.yaml': orders(after), 'after/billing.yaml': billingAfter });
      trees.push(t);
      return t;
    };
    const broken = setup({}, writer);
    const run = await runCli('breaking', path.join(broken.dir, 'after'), '--against', path.join(broken.dir, 'before'), '--json');
    expect(run.code).toBe(1);
    const findings = (JSON.parse(run.stdout) as { findings: Array<{ code: string; breaking: boolean; message: string }> }).findings;
    expect(findings).toEqual([
      expect.objectContaining({ code: 'MF-BREAK-WRITE-GRANT-REMOVED', breaking: true, topic: PAYMENT, message: `write grant to acme.finance.billing on ${PAYMENT} removed while acme.finance.billing sends to it: its producer loses write access` }),
    ]);
    const stopped = setup({}, BILLING);
    const quiet = await runCli('breaking', path.join(stopped.dir, 'after'), '--against', path.join(stopped.dir, 'before'), '--json');
    expect(quiet.code).toBe(0);
    expect((JSON.parse(quiet.stdout) as { findings: Array<{ code: string; breaking: boolean }> }).findings.map((f) => [f.code, f.breaking])).toEqual([['MF-CHANGE-WRITE-GRANT-REMOVED', false]]);
    const added = await compare({ paymentWriters: ['urn:acme:finance:billing'] });
    expect(added.run.code).toBe(0);
    expect(added.codes).toEqual(['MF-CHANGE-WRITE-GRANT-ADDED']);
  });

  it('partitions decreased and cleanup policy changed: breaking; partitions increased: compatible', async () => {
    const down = await compare({ placedPartitions: 3, placedCleanup: 'compact' });
    expect(down.run.code).toBe(1);
    expect(down.out.findings.map((f) => [f.code, f.breaking, f.message])).toEqual([
      ['MF-BREAK-CLEANUP-POLICY', true, `cleanup.policy of ${PLACED} delete -> compact (others may read it)`],
      ['MF-BREAK-PARTITIONS', true, `partitions of ${PLACED} 6 -> 3: Kafka cannot remove partitions, and keyed consumers lose their ordering`],
    ]);
    const up = await compare({ placedPartitions: 12 });
    expect(up.run.code).toBe(0);
    expect(up.out.findings.map((f) => [f.code, f.breaking, f.message])).toEqual([['MF-CHANGE-PARTITIONS', false, `partitions of ${PLACED} 6 -> 12`]]);
  });

  it('a payload field removed or retyped: breaking, with the field named', async () => {
    const removed = await compare({ placedFields: [{ name: 'orderId', type: 'string' }] });
    expect(removed.run.code).toBe(1);
    // Removing an Avro field without a default is also what BACKWARD... allows: only the field finding.
    expect(removed.out.findings.map((f) => [f.code, f.message])).toEqual([['MF-BREAK-FIELD-REMOVED', `value field total of ${PLACED} removed (was double)`]]);

    const retyped = await compare({ paymentProperties: { orderId: { type: 'string' }, amount: { type: 'string' } } });
    expect(retyped.run.code).toBe(1);
    expect(retyped.out.findings.map((f) => [f.code, f.message])).toEqual([
      ['MF-BREAK-FIELD-TYPE', `value field amount of ${PAYMENT} retyped number -> string`],
      ['MF-BREAK-SCHEMA-INCOMPATIBLE', `value schema of ${PAYMENT} is incompatible under BACKWARD (the registry would refuse subject ${PAYMENT}-value): new schema cannot read older messages: /properties/amount: type changed from number to string`],
    ]);
  });

  it('a schema change incompatible under the level, without a field removed or retyped: breaking', async () => {
    const { run, out } = await compare({ placedFields: [{ name: 'orderId', type: 'string' }, { name: 'total', type: 'double' }, { name: 'currency', type: 'string' }] });
    expect(run.code).toBe(1);
    expect(out.findings.map((f) => [f.code, f.message])).toEqual([
      ['MF-BREAK-SCHEMA-INCOMPATIBLE', `value schema of ${PLACED} is incompatible under BACKWARD (the registry would refuse subject ${PLACED}-value): new schema cannot read older messages: field currency added without a default`],
    ]);
  });

  it('compatible changes are listed as such and exit 0', async () => {
    const { run, out } = await compare({
      placedFields: [{ name: 'orderId', type: 'string' }, { name: 'total', type: 'double' }, { name: 'note', type: ['null', 'string'], default: null }],
      extraTopic: true,
      placedKey: { type: 'string' },
      paymentGrants: ['urn:acme:finance:billing', 'urn:acme:analytics:customer360'],
    });
    expect(run.code).toBe(0);
    expect(out.breaking).toBe(0);
    expect(out.findings.map((f) => [f.code, f.breaking, f.message])).toEqual([
      ['MF-CHANGE-GRANT-ADDED', false, `grant to acme.analytics.customer360 on ${PAYMENT} added`],
      ['MF-CHANGE-SCHEMA', false, `value schema of ${PLACED} changed, compatible under BACKWARD (fields added: note)`],
      ['MF-CHANGE-SCHEMA-ADDED', false, `key schema of ${PLACED} added (AVRO, subject ${PLACED}-key)`],
      ['MF-CHANGE-TOPIC-ADDED', false, 'topic acme.retail.orders._public.order_returned added (public)'],
    ]);
  });

  it('compares with a git revision, reading the older specs with git archive', () => {
    const t = tempTree({ 'specs/orders.yaml': orders(), 'specs/billing.yaml': BILLING, 'stacks/.keep': '' });
    trees.push(t);
    const git = (...args: string[]) => {
      const r = spawnSync('git', args, { cwd: t.dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } });
      expect(r.status).toBe(0);
      return r.stdout;
    };
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'v1');
    t.write({ 'specs/orders.yaml': orders({ placedPartitions: 2 }) });
    const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, 'breaking', ...args], { cwd: t.dir, encoding: 'utf8' });

    const dirty = cli('--against', 'main');
    expect(dirty.stderr).toBe('');
    expect(dirty.status).toBe(1);
    expect(dirty.stdout).toBe(
      `specs/orders.yaml:8:14: breaking MF-BREAK-PARTITIONS: partitions of ${PLACED} 6 -> 2: Kafka cannot remove partitions, and keyed consumers lose their ordering\n` +
        '1 breaking change(s), 0 compatible change(s) against main\n',
    );
    git('commit', '-qam', 'v2');
    expect(cli('--against', 'HEAD').status).toBe(0);
    const removedProduct = cli('specs', '--against', 'HEAD~1', '--json');
    expect(JSON.parse(removedProduct.stdout).findings[0]).toMatchObject({ code: 'MF-BREAK-PARTITIONS' });

    const unknown = cli('--against', 'no-such-branch');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe("meshform breaking: --against no-such-branch: neither a folder nor a git revision of this repository (see 'meshform breaking --help')\n");
  });

  it('old locations are named by revision and path', () => {
    const t = tempTree({ 'specs/orders.yaml': orders(), 'specs/billing.yaml': BILLING });
    trees.push(t);
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' };
    for (const args of [['init', '-q', '-b', 'main'], ['add', '-A'], ['commit', '-qm', 'v1']]) spawnSync('git', args, { cwd: t.dir, env });
    t.write({ 'specs/orders.yaml': orders({ placedAddress: '_public.order_created' }) });
    const r = spawnSync(process.execPath, [BIN, 'breaking', '--against', 'main'], { cwd: t.dir, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`breaking MF-BREAK-TOPIC-RENAMED: topic ${PLACED} (declared at main:specs/orders.yaml:8) renamed to acme.retail.orders._public.order_created while acme.finance.billing still receives from it`);
  });
});
