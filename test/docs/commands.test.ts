/**
 * The manual runs. Every line starting with `meshform ` in a fenced ```sh block of README.md and
 * docs/*.md is run with `node bin/meshform.js`, page by page in page order, in a copy of the
 * repository's example mesh (specs/, stacks/, examples/, crossplane/, test/fixtures/; a git
 * repository of one commit, so `--against HEAD` works), so the checkout is never changed. Kafka
 * verbs reach an in-process test broker with a SASL admin through MESHFORM_KAFKA_*, one broker per
 * page. A command must exit 0, or the code its block's `<!-- docs-test: exit N -->` names; a block
 * after `<!-- docs-test: skip <reason> -->` is listed as not runnable with its reason;
 * `<!-- docs-test: file <path> -->` writes its block to that path before the page's next commands.
 * A few outputs are checked against expectations written by hand from the specs.
 */
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestBroker } from '@meshform/kafka-test-broker';
import { mapLimit } from '../../src/map-limit';
import { manualPages, REPO, stepsOf, type Step } from './manual';

const BIN = path.join(REPO, 'bin', 'meshform.js');
/** What a command of the manual may read, copied into each page's workspace. */
const COPIED = ['specs', 'stacks', 'examples', 'crossplane', 'Pulumi.yaml', 'test/fixtures'];
const ADMIN_PASSWORD = 'docs-admin-secret';
const COMMAND_TIMEOUT_MS = 60_000;

type CommandStep = Extract<Step, { kind: 'command' }>;

interface Ran {
  step: CommandStep;
  code: number | null;
  stdout: string;
  stderr: string;
  /** The page's workspace, for expectations on the files a command wrote (removed after the suite). */
  dir: string;
}

const pages = manualPages();
const stepsByPage = new Map(pages.map((page) => [page, stepsOf(page)]));
const ran = new Map<string, Ran[]>();
const workspaces: string[] = [];

for (const steps of stepsByPage.values()) {
  for (const s of steps) {
    if (s.kind === 'not-runnable') process.stderr.write(`docs: not runnable: ${s.page}:${s.line} ${s.command} (${s.reason})\n`);
  }
}

/** The environment of every command: none of the caller's meshform settings, the page's broker. */
function commandEnv(bootstrap: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('MESHFORM_') && key !== 'NODE_OPTIONS') env[key] = value;
  return {
    ...env,
    MESHFORM_KAFKA_BOOTSTRAP: bootstrap,
    MESHFORM_KAFKA_SASL_MECHANISM: 'plain',
    MESHFORM_KAFKA_USERNAME: 'admin',
    MESHFORM_KAFKA_PASSWORD: ADMIN_PASSWORD,
  };
}

function workspace(page: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `meshform-docs-${path.basename(page, '.md')}-`));
  workspaces.push(dir);
  for (const entry of COPIED) fs.cpSync(path.join(REPO, entry), path.join(dir, entry), { recursive: true });
  const git = (...args: string[]) => {
    const res = spawnSync('git', ['-c', 'user.name=docs', '-c', 'user.email=docs@example.com', ...args], { cwd: dir, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`git ${args.join(' ')} in ${dir}: ${res.stderr}`);
  };
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'the example mesh');
  return dir;
}

/** One line of the manual in bash, where `meshform` is this checkout's bin. */
function run(step: CommandStep, dir: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  const script = `meshform() { node ${JSON.stringify(BIN)} "$@"; }\n${step.command}`;
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], { cwd: dir, env, timeout: COMMAND_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ step, code, stdout, stderr: error && error.killed ? `${stderr}\n(killed after ${COMMAND_TIMEOUT_MS} ms)` : stderr, dir });
    });
  });
}

async function runPage(page: string): Promise<Ran[]> {
  const steps = stepsByPage.get(page) ?? [];
  if (!steps.some((s) => s.kind === 'command')) return [];
  const dir = workspace(page);
  const broker = await startTestBroker({ saslUsers: { admin: ADMIN_PASSWORD }, superUsers: ['User:admin'] });
  const env = commandEnv(broker.bootstrap);
  const results: Ran[] = [];
  try {
    for (const step of steps) {
      if (step.kind === 'file') {
        const target = path.resolve(dir, step.path);
        if (path.relative(dir, target).startsWith('..')) throw new Error(`${step.page}:${step.line}: docs-test file ${step.path} leaves the workspace`);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, step.content);
      } else if (step.kind === 'command') {
        results.push(await run(step, dir, env));
      }
    }
  } finally {
    await broker.stop();
  }
  return results;
}

function tail(text: string, lines = 8): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** What git sees changed in the checkout (the manual's commands must leave it as it was). */
function checkoutStatus(): string {
  return spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: REPO, encoding: 'utf8' }).stdout;
}
let statusBefore = '';
let statusAfter = '';

beforeAll(async () => {
  statusBefore = checkoutStatus();
  const started = Date.now();
  // Pages run side by side (each has its own workspace and broker); a page's commands in order.
  const results = await mapLimit(pages, 3, runPage);
  pages.forEach((page, i) => ran.set(page, results[i]));
  const count = results.reduce((n, r) => n + r.length, 0);
  process.stderr.write(`docs: ran ${count} commands of ${pages.length} pages in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  statusAfter = checkoutStatus();
}, 900_000); // ~30-40 s on a quiet 2-core machine; a loaded one is slow, not wrong

afterAll(() => {
  for (const dir of workspaces) fs.rmSync(dir, { recursive: true, force: true });
});

describe('every command of the manual exits as documented', () => {
  test('and leaves the checkout as it was', () => {
    expect(statusAfter).toBe(statusBefore);
  });
  for (const page of pages) {
    const steps = stepsByPage.get(page) ?? [];
    if (steps.some((s) => s.kind === 'command')) {
      test(page, () => {
        const failures = (ran.get(page) ?? [])
          .filter((r) => r.code !== r.step.exit)
          .map((r) => `${r.step.page}:${r.step.line} ${r.step.command}\n  exit ${r.code}, documented ${r.step.exit}\n  stderr: ${tail(r.stderr || r.stdout).replace(/\n/g, '\n          ')}`);
        expect(failures).toEqual([]);
      });
    }
    for (const s of steps) {
      if (s.kind === 'not-runnable') test.skip(`${page}:${s.line} not runnable (${s.reason}): ${s.command}`, () => undefined);
    }
  }
});

/** The run of `command` on `page`; fails when the page no longer shows it (update the expectation with the page). */
function result(page: string, command: string): Ran {
  const found = (ran.get(page) ?? []).filter((r) => r.step.command.replace(/\s+#.*$/, '').trim() === command);
  if (found.length === 0) throw new Error(`${page} no longer runs \`${command}\`: update this expectation with the page`);
  return found[0];
}

describe('outputs, against expectations written by hand from the specs', () => {
  // specs/ holds 11 product specs (analytics x2, customer, finance x3, marketing, retail x4).
  test('the example mesh has 11 products in 11 files', () => {
    expect(result('docs/cli.md', 'meshform validate specs').stderr).toContain('ok: 11 product(s) in 11 file(s)');
    const json = JSON.parse(result('docs/cli.md', 'meshform validate specs --json').stdout);
    expect(json.ok).toBe(true);
    expect(json.products).toHaveLength(11);
    expect(json.products).toEqual(expect.arrayContaining(['acme.retail.orders', 'acme.finance.billing', 'acme.analytics.customer360']));
  });

  // The tour's spec (README, mine/orders.yaml): one public topic without bindings.
  test("the README tour's product validates, clashes with the mesh's orders, and plans 31 resources", () => {
    expect(result('README.md', 'meshform validate mine').stderr).toContain('ok: 1 product(s) in 1 file(s)');
    const clash = result('README.md', 'meshform validate specs mine').stderr;
    expect(clash).toMatch(/mine\/orders\.yaml:2:\d+: error MF-ID-DUPLICATE/);
    expect(clash).toMatch(/specs\/retail-orders\.yaml:2:\d+: error MF-ID-DUPLICATE/);
    // 1 topic; 22 ACLs: the owner's 20 (3 topic prefixes x 4 operations, 2 group prefixes x 2,
    // 2 transactional-id prefixes x 2) and READ + DESCRIBE for User:* on the public topic;
    // an account, its owner's token creator, 3 datasets (all layers) with the account as editor.
    const plan = result('README.md', 'meshform plan mine --stack dev').stdout;
    expect(plan).toContain('1 product in 1 business domain, 31 resources');
    expect(plan).toMatch(/kafka:Topic\s+1\n/);
    expect(plan).toMatch(/kafka:Acl\s+22\n/);
    expect(plan).toContain('partitions 3 -> 1 (dev defaultPartitions, partitionFactor 0.25)');
  });

  test("the README tour's apply creates the topic and its 22 ACLs, and the re-plan finds nothing to change", () => {
    expect(result('README.md', 'meshform kafka apply mine --stack dev --yes').stdout).toContain('23 created, 0 updated, 0 deleted, 0 unchanged');
    const again = result('README.md', 'meshform kafka plan mine --stack dev --detailed-exitcode');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 to create, 0 to update, 0 to delete, 23 unchanged');
    expect(again.stderr).not.toContain(ADMIN_PASSWORD);
  });

  // The gift-card spec of docs/product-teams.md: _private.balance with 6 partitions (dev: ceil(6 x 0.25)
  // = 2), _public.card_issued with none (dev: defaultPartitions 3 -> 1), one JSON payload.
  test('the product-teams spec plans its two topics at dev sizes, beside the mesh', () => {
    const plan = result('docs/product-teams.md', 'meshform plan specs --stack dev --product acme.retail.giftcards').stdout;
    expect(plan).toContain('selected: 1 of 12 products');
    expect(plan).toMatch(/kafka:Topic\s+2\n/);
    expect(plan).toMatch(/schema:Subject\s+1\n/);
    expect(plan).toContain('topic _private.balance  partitions 6 -> 2 (dev partitionFactor 0.25)');
    expect(plan).toContain('topic _public.card_issued  partitions 3 -> 1 (dev defaultPartitions, partitionFactor 0.25)');
  });

  // specs/retail-orders.yaml: _public.order_placed, _protected.order_payment, _private.order_state.
  test('kafka export writes the three topics of acme.retail.orders, and a typo names the product', () => {
    const exported = result('docs/kafka.md', 'meshform kafka export --domain urn:acme:retail:orders --stack dev').stdout;
    for (const topic of ['_public.order_placed', '_protected.order_payment', '_private.order_state']) expect(exported).toContain(topic);
    expect(exported).toContain('grant-access:urn:acme:finance:billing');
    const typo = result('docs/kafka.md', 'meshform kafka export --domain urn:acme:retail:ordres --stack dev');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('did you mean urn:acme:retail:orders?');
  });

  // test/fixtures/specs/valid/mesh-file-precedence/meshform.yaml: owners by prefix (acme.retail
  // beats acme), products.acme.retail.orders.kafkaStreams, defaults; orders.yaml sets its own storage.
  test('validate --json shows each setting of a product and where it came from', () => {
    const json = JSON.parse(result('docs/spec-reference.md', 'meshform validate test/fixtures/specs/valid/mesh-file-precedence --json').stdout);
    const orders = json.effective['acme.retail.orders'];
    expect(orders.owners).toEqual(['group:retail@acme.example']);
    expect(orders.kafkaStreams).toBe(true);
    expect(orders.domainType).toBe('aggregate');
    expect(orders.from.owners).toMatch(/mesh-file-precedence\/meshform\.yaml:2:\d+$/);
    expect(orders.from.storage).toBe('x-meshform');
  });

  // specs/finance-payments.yaml grants refund_paid to the ledger (line 41); specs/retail-orders.yaml
  // grants order_payment to billing (line 40). The request flow of docs/access-model.md, checked by git.
  test('request-access: git accepts the patch; the in-place grant is what access and the cluster then show', () => {
    const page = 'docs/access-model.md';
    const patch = result(page, 'meshform request-access acme.finance.payments._protected.refund_paid --for urn:acme:marketing:campaigns --patch grant.patch');
    const check = spawnSync('git', ['apply', '--check', 'grant.patch'], { cwd: patch.dir, encoding: 'utf8' });
    expect([check.status, check.stderr]).toEqual([0, '']);
    expect(patch.stdout).toContain('+      - name: grant-access:urn:acme:marketing:campaigns');
    const edit = result(page, 'meshform request-access acme.retail.orders._protected.order_payment --for urn:acme:analytics:customer360');
    expect(edit.stdout).toContain('       - name: grant-access:urn:acme:finance:billing\n+      - name: grant-access:urn:acme:analytics:customer360');
    expect(result(page, 'meshform access urn:acme:analytics:customer360 --stack dev').stdout).toMatch(
      /acme\.retail\.orders\._protected\.order_payment {2}grant-access \(acme\.retail\.orders\) {2}specs\/retail-orders\.yaml:41:15/,
    );
    expect(result(page, 'meshform access urn:acme:analytics:customer360 --stack dev --live').stdout).toContain('live: the cluster has exactly the planned ACLs');
    expect(result(page, 'meshform request-access acme.retail.orders._public.order_placed --for urn:acme:analytics:customer360').stderr).toContain(
      'is public: every product may read it already',
    );
  });

  // test/fixtures/specmesh: billing (4), grid (3), ops (2).
  test('the SpecMesh-style mesh has 9 products', () => {
    expect(result('docs/coming-from-specmesh.md', 'meshform validate test/fixtures/specmesh').stderr).toContain('ok: 9 product(s) in 9 file(s)');
  });

  // test/fixtures/specs/valid/mesh-gcp-names: billing adopts raw + curated and its account, orders raw + curated and its account.
  test('the GCP adoption example imports 4 datasets and 2 service accounts', () => {
    const plan = result('docs/adopting.md', 'meshform plan test/fixtures/specs/valid/mesh-gcp-names --stack dev').stdout;
    expect(plan).toContain('  import (they exist; the first pulumi up imports them): 4 datasets, 2 service accounts');
    expect(plan).toContain('  datasets (EU) legacy_orders_landing (import), acme_retail_orders_cleaned_dev, acme_retail_orders_curated_dev (import)');
  });

  test('an unknown stack names the stacks there are', () => {
    const r = result('docs/stacks.md', 'meshform plan specs --stack qa');
    expect(r.stderr).toContain('MF-STACK-MISSING');
    for (const stack of ['dev', 'staging', 'prod']) expect(r.stderr).toContain(stack);
  });

  test('the catalog and the Backstage export cover every product', () => {
    const site = result('docs/catalog.md', 'meshform catalog specs --stack dev --out site --title "Acme data products"');
    expect(fs.readFileSync(path.join(site.dir, 'site', 'index.html'), 'utf8')).toContain('Acme data products');
    expect(fs.existsSync(path.join(site.dir, 'site', 'products', 'acme.retail.orders.html'))).toBe(true);
    const backstage = result('docs/catalog.md', 'meshform export backstage specs --out backstage');
    const entities = fs.readFileSync(path.join(backstage.dir, 'backstage', 'catalog-info.yaml'), 'utf8');
    expect(entities.match(/^kind: System$/gm)).toHaveLength(11);
  });

  test('staging renders one DataProduct per product; the GCP-mode dev stack is refused', () => {
    const rendered = result('docs/crossplane.md', 'meshform crossplane render specs --stack staging').stdout;
    expect(rendered.match(/^kind: DataProduct$/gm)).toHaveLength(11);
    expect(rendered).toContain('namespace: data-products');
    expect(result('docs/crossplane.md', 'meshform crossplane render specs --stack dev').code).toBe(2);
  });
});
