/**
 * The root is real: a symbolic link inside the spec root whose target lies outside it is never
 * followed, for `$ref`s, spec files, folders and mesh files alike, and nothing outside the root
 * reaches any output (validate --json, plan --json, the catalog site).
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMesh } from '../../src/model';
import { runCli } from '../cli/support';

/** Text that only the files outside the root hold: it must appear in no output. */
const SECRET = 'OUTSIDE_SECRET_4711';

let dir: string;
let specs: string;

const spec = (id: string, ref?: string) => `asyncapi: 3.0.0
id: urn:acme:retail:${id}
info: {title: ${id}, version: 1.0.0}
x-meshform: {owners: [user:owner@acme.com]}
channels:
  placed:
    address: _public.${id}_placed
    messages:
      placed:
        payload:
          ${ref ? `$ref: '${ref}'` : 'type: object'}
operations:
  send: {action: send, channel: {$ref: '#/channels/placed'}}
`;

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(join(tmpdir(), 'meshform-links-')));
  specs = join(dir, 'specs');
  fs.mkdirSync(join(dir, 'outside'));
  fs.mkdirSync(specs);
  fs.writeFileSync(join(dir, 'outside', 'schema.yaml'), `type: object\ndescription: ${SECRET}\nproperties: {${SECRET}: {type: string}}\n`);
  fs.writeFileSync(join(dir, 'outside', 'other.yaml'), spec('other').replace('title: other', `title: ${SECRET}`));
  fs.writeFileSync(join(dir, 'outside', 'meshform.yaml'), `owners:\n  acme: [group:${SECRET.toLowerCase()}@acme.com]\n`);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function outputs(): Promise<string> {
  const runs = [
    await runCli('validate', specs, '--json'),
    await runCli('plan', specs, '--stack', 'dev', '--json'),
    await runCli('catalog', specs, '--stack', 'dev', '--out', join(dir, 'site')),
  ];
  for (const run of runs) expect(run.stderr).not.toContain('internal error');
  const site = fs.existsSync(join(dir, 'site'))
    ? fs.readdirSync(join(dir, 'site'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => fs.readFileSync(join(e.parentPath, e.name), 'utf8'))
    : [];
  return [...runs.flatMap((r) => [r.stdout, r.stderr]), ...site].join('\n');
}

const codes = async () => (await loadMesh([specs], { cwd: dir })).diagnostics.map((d) => `${d.code} ${d.location?.file}:${d.location?.line}:${d.location?.col}`);

describe('symbolic links out of the spec root', () => {
  it('a $ref through a linked folder is MF-REF-ESCAPE at the $ref, and the target is not read', async () => {
    fs.symlinkSync(join(dir, 'outside'), join(specs, 'shared'));
    fs.writeFileSync(join(specs, 'orders.yaml'), spec('orders', './shared/schema.yaml'));
    expect(await codes()).toEqual(expect.arrayContaining(['MF-REF-ESCAPE specs/orders.yaml:11:17', 'MF-LINK-ESCAPE specs/shared:1:1']));
    expect(await outputs()).not.toContain(SECRET);
  });

  it('a $ref to a linked file and a root-relative $ref through a link are refused the same way', async () => {
    fs.symlinkSync(join(dir, 'outside', 'schema.yaml'), join(specs, 'schema.yaml.link'));
    fs.mkdirSync(join(specs, 'schemas'));
    fs.symlinkSync(join(dir, 'outside'), join(specs, 'schemas', 'up'));
    fs.writeFileSync(join(specs, 'a.yaml'), spec('a', './schema.yaml.link'));
    fs.writeFileSync(join(specs, 'b.yaml'), spec('b', '/schemas/up/schema.yaml'));
    expect(await codes()).toEqual(expect.arrayContaining(['MF-REF-ESCAPE specs/a.yaml:11:17', 'MF-REF-ESCAPE specs/b.yaml:11:17']));
    expect(await outputs()).not.toContain(SECRET);
  });

  it('a spec file linked to /etc/passwd is MF-LINK-ESCAPE and is not read', async () => {
    fs.symlinkSync('/etc/passwd', join(specs, 'passwd.yaml'));
    fs.writeFileSync(join(specs, 'orders.yaml'), spec('orders'));
    expect(await codes()).toEqual(['MF-LINK-ESCAPE specs/passwd.yaml:1:1']);
    const out = await outputs();
    expect(out).not.toMatch(/root:.*:0:0/);
    // Given on the command line, it is refused too.
    const direct = await runCli('validate', join(specs, 'passwd.yaml'));
    expect(direct.code).toBe(1);
    expect(direct.stdout + direct.stderr).toContain('MF-LINK-ESCAPE');
    expect(direct.stdout + direct.stderr).not.toMatch(/root:.*:0:0/);
  });

  it('a linked folder and a linked spec out of the root are reported once each, never walked', async () => {
    fs.symlinkSync(join(dir, 'outside'), join(specs, 'team'));
    fs.symlinkSync(join(dir, 'outside', 'other.yaml'), join(specs, 'other.yaml'));
    fs.writeFileSync(join(specs, 'orders.yaml'), spec('orders'));
    expect((await codes()).sort()).toEqual(['MF-LINK-ESCAPE specs/other.yaml:1:1', 'MF-LINK-ESCAPE specs/team:1:1']);
    expect(await outputs()).not.toContain(SECRET);
  });

  it('a mesh file linked out of its folder is MF-LINK-ESCAPE and none of its owners apply', async () => {
    fs.symlinkSync(join(dir, 'outside', 'meshform.yaml'), join(specs, 'meshform.yaml'));
    fs.writeFileSync(join(specs, 'orders.yaml'), spec('orders').replace('x-meshform: {owners: [user:owner@acme.com]}\n', ''));
    expect(await codes()).toEqual(['MF-LINK-ESCAPE specs/meshform.yaml:1:1', 'MF-META-MISSING specs/orders.yaml:1:1']);
    expect(await outputs()).not.toContain(SECRET.toLowerCase());
  });
});

describe('symbolic links inside the spec root are followed', () => {
  it('a linked spec, a linked folder and a $ref through a link, all inside, read as usual', async () => {
    fs.mkdirSync(join(specs, 'real'));
    fs.writeFileSync(join(specs, 'real', 'schema.yaml'), 'type: object\nproperties: {orderId: {type: string}}\n');
    fs.writeFileSync(join(specs, 'real', 'orders.yaml'), spec('orders'));
    fs.writeFileSync(join(specs, 'pay.yaml'), spec('pay', './schemas/schema.yaml'));
    fs.symlinkSync(join(specs, 'real'), join(specs, 'schemas'));
    fs.symlinkSync(join(specs, 'real', 'orders.yaml'), join(specs, 'orders-link.yaml'));
    const result = await loadMesh([specs], { cwd: dir });
    expect(result.diagnostics).toEqual([]);
    // The linked spec is one product, however many ways it is reached.
    expect(result.mesh?.products.map((p) => p.id).sort()).toEqual(['acme.retail.orders', 'acme.retail.pay']);
  });
});
