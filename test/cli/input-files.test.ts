/** How the CLI copes with the files a new user actually has: BOMs, CRLF, empty files, links, unreadable paths. */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runCli } from './support';
import { INSTALL_TIMEOUT_MS, packedMeshform, type PackedInstall } from '../support/packed';

const ROOT = join(__dirname, '..', '..');
const ORDERS = join(ROOT, 'specs', 'retail-orders.yaml');
const FIXTURES = join('test', 'cli', 'fixtures');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'meshform-cli-'));
});
afterEach(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

/** `file:line:col` of every diagnostic line, so two runs can be compared place by place. */
function places(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /:\d+:\d+: /.test(l)).map((l) => l.replace(/^.*?([^/]+):(\d+):(\d+): .*$/, '$2:$3'));
}

describe('spec files as editors write them', () => {
  it('reports the same line:col for a file with a byte order mark as without one', async () => {
    const plain = await runCli('validate', relative(process.cwd(), ORDERS));
    const withBom = join(dir, 'orders.yaml');
    writeFileSync(withBom, '\uFEFF' + readFileSync(ORDERS, 'utf8'));
    const bom = await runCli('validate', withBom);
    expect(bom.code).toBe(0);
    expect(places(plain.stderr)).toEqual(['40:15']);
    expect(places(bom.stderr)).toEqual(places(plain.stderr));
  });

  it('reads Windows line endings with the same positions', async () => {
    const crlf = join(dir, 'orders.yaml');
    writeFileSync(crlf, readFileSync(ORDERS, 'utf8').replace(/\n/g, '\r\n'));
    const run = await runCli('validate', crlf);
    expect(run.code).toBe(0);
    expect(places(run.stderr)).toEqual(['40:15']);
  });

  it('says a file is empty at file:1:1 instead of calling it a non-AsyncAPI document', async () => {
    const run = await runCli('validate', join(FIXTURES, 'empty-files'));
    expect(run.code).toBe(1);
    for (const file of ['empty.yaml', 'only-comment.yml']) {
      expect(run.stderr).toContain(`${join(FIXTURES, 'empty-files', file)}:1:1: error MF-ASYNCAPI-VERSION: the file is empty`);
    }
  });
});

describe('names the field of an AsyncAPI schema error, once', () => {
  it('says which property is wrong and does not repeat it where the channel is $ref-ed', async () => {
    const file = join(FIXTURES, 'partitions-zero-through-ref', 'orders.yaml');
    const run = await runCli('validate', file);
    expect(run.code).toBe(1);
    const errors = run.stderr.split('\n').filter((l) => l.includes(' error '));
    expect(errors).toContain(`${file}:13:21: error asyncapi-document-resolved: "partitions" property must be >= 1`);
    // Before: the same two errors again at the operation's `channel: $ref` (line 18).
    expect(errors.filter((l) => l.includes('"partitions" property'))).toHaveLength(1);
    expect(errors.some((l) => l.includes(':18:'))).toBe(false);
  });

  it('gives Kafka\'s real limit for a partition count beyond int32', async () => {
    const file = join(FIXTURES, 'partitions-above-int32.yaml');
    const run = await runCli('validate', file);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:13:21: error MF-KAFKA-BINDING: kafka binding partitions must be an integer from 1 to 2147483647, got 2147483648`);
  });
});

describe('paths', () => {
  // Links out of the folder given are refused: test/reading/symlinks.test.ts.
  it('follows symbolic links inside a folder and reads a file reached twice once', async () => {
    mkdirSync(join(dir, 'specs'));
    mkdirSync(join(dir, 'specs', 'shared'));
    copyFileSync(ORDERS, join(dir, 'specs', 'shared', 'retail-orders.yaml'));
    symlinkSync(join(dir, 'specs', 'shared', 'retail-orders.yaml'), join(dir, 'specs', 'orders.yaml'));
    symlinkSync(join(dir, 'specs', 'shared'), join(dir, 'specs', 'shared-link'));
    symlinkSync(join(dir, 'specs'), join(dir, 'specs', 'loop'));
    const run = await runCli('validate', join(dir, 'specs'));
    expect(run.stderr).toMatch(/^ok: 1 product\(s\) in 1 file\(s\)/m);
    expect(run.code).toBe(0);
  });

  it('reads a spec given twice (two spellings of one path) once', async () => {
    const run = await runCli('validate', 'specs/retail-orders.yaml', './specs/retail-orders.yaml', 'specs');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^ok: 11 product\(s\) in 11 file\(s\)$/m);
  });

  it('reports a spec that cannot be read at file:1:1 with the reason, exit 2, and no "no spec files" on top', async () => {
    mkdirSync(join(dir, 'specs'));
    symlinkSync(join(dir, 'gone.yaml'), join(dir, 'specs', 'dangling.yaml'));
    const run = await runCli('validate', join(dir, 'specs'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/dangling\.yaml:1:1: error MF-FILE-READ: cannot read the file: no such file or folder \(ENOENT\)$/m);
    expect(run.stderr).not.toMatch(/MF-NO-SPECS/);
  });

  it('reports a folder it may not list in one line, exit 2, without a stack trace', async () => {
    mkdirSync(join(dir, 'locked'));
    copyFileSync(ORDERS, join(dir, 'locked', 'orders.yaml'));
    chmodSync(join(dir, 'locked'), 0o000);
    chmodSync(dir, 0o755);
    const res = await runUnprivileged(['validate', join(dir, 'locked')]);
    expect(res.stderr).toBe(`error MF-FILE-READ: ${join(dir, 'locked')}: cannot be read: permission denied (EACCES)\n1 error(s), 0 warning(s)\n`);
    expect(res.status).toBe(2);
  });

  it('says why a path it may not look at cannot be read, instead of "no such file"', async () => {
    mkdirSync(join(dir, 'specs'));
    copyFileSync(ORDERS, join(dir, 'specs', 'orders.yaml'));
    chmodSync(dir, 0o000);
    const res = await runUnprivileged(['validate', join(dir, 'specs')]);
    expect(res.stderr).toMatch(new RegExp(`^error MF-FILE-READ: ${dir}/specs: cannot be read: permission denied \\(EACCES\\)$`, 'm'));
    expect(res.status).toBe(2);
  });

  it('reports a spec file it may not read with the reason', async () => {
    mkdirSync(join(dir, 'specs'));
    copyFileSync(ORDERS, join(dir, 'specs', 'orders.yaml'));
    chmodSync(join(dir, 'specs', 'orders.yaml'), 0o000);
    chmodSync(dir, 0o755);
    const res = await runUnprivileged(['validate', join(dir, 'specs')]);
    expect(res.stderr).toMatch(/orders\.yaml:1:1: error MF-FILE-READ: cannot read the file: permission denied \(EACCES\)$/m);
    expect(res.status).toBe(2);
  });
});

/**
 * The bin, as a user without rights on the test's files: as root, permissions never fail, so the
 * run drops to `nobody` with util-linux's setpriv. `nobody` may not reach the checkout (a clone in
 * a private folder), so it runs the packed meshform installed in the system's temp folder
 * (test/support/packed.ts), from there: where the checkout lies and who may read it do not matter.
 */
let installed: Promise<PackedInstall> | undefined;

async function runUnprivileged(argv: string[]): Promise<{ status: number | null; stderr: string }> {
  installed ??= packedMeshform('product');
  const install = await installed;
  const bin = join(install.nodeModules, 'meshform', 'bin', 'meshform.js');
  const asRoot = process.getuid?.() === 0;
  const [command, args] = asRoot
    ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bin, ...argv]]
    : [process.execPath, [bin, ...argv]];
  const res = spawnSync(command, args, { cwd: install.dir, encoding: 'utf8' });
  if (res.error) throw new Error(`cannot run ${command}: ${res.error.message}`);
  if (/Cannot find module/.test(res.stderr)) throw new Error(`nobody cannot reach the packed install at ${install.dir} (a umask or TMPDIR that hides it?):\n${res.stderr}`);
  return { status: res.status, stderr: res.stderr };
}

// The first run installs the packed package (from npm's cache), once per tarball content.
jest.setTimeout(INSTALL_TIMEOUT_MS);
