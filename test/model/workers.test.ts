/**
 * The compiled CLI checks the spec files of a large mesh in worker threads (src/model/check-file.ts,
 * check-worker.ts, src/parallel.ts): what `validate` and `plan` print is byte for byte what they
 * print with every file checked in the main thread (`MESHFORM_WORKERS=0`, the path every in-process
 * test takes), the threads really ran (counted by a preload that wraps node's own Worker class), and
 * the process ends when it is done (the pool is closed).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMesh } from '../../bench/generate';
import { MIN_FILES_FOR_THREADS } from '../../src/model';
import { COUNT_PRELOAD } from '../support/threads';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'meshform.js');

// Enough files for threads (below MIN_FILES_FOR_THREADS a run stays in its own thread).
const PRODUCTS = 600;

describe('validate and plan with worker threads', () => {
  let temp: string;
  let valid: string;
  let broken: string;
  beforeAll(() => {
    expect(PRODUCTS).toBeGreaterThanOrEqual(MIN_FILES_FOR_THREADS);
    temp = mkdtempSync(join(tmpdir(), 'meshform-check-workers-'));
    writeFileSync(join(temp, 'count.cjs'), COUNT_PRELOAD);
    valid = generateMesh(join(temp, 'valid'), PRODUCTS, 3).dir;
    // Mistakes of several kinds, spread over the files the threads check.
    broken = generateMesh(join(temp, 'broken'), PRODUCTS, 3).dir;
    writeFileSync(join(broken, 'product0100.yaml'), 'asyncapi: 3.0.0\ninfo: [unclosed\n');
    writeFileSync(join(broken, 'product0250.yaml'), 'just: some yaml\n');
    writeFileSync(join(broken, 'product0400.yaml'), readFileSync(join(broken, 'product0400.yaml'), 'utf8').replace(/^asyncapi: .*$/m, 'asyncapi: 9.9.9'));
    unlinkSync(join(broken, 'product0500.yaml'));
  });
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  const run = (workers: string, args: string[], cwd: string) => {
    const countFile = join(temp, `count-${workers}`);
    rmSync(countFile, { force: true });
    const result = spawnSync(process.execPath, ['--require', join(temp, 'count.cjs'), BIN, ...args], {
      cwd,
      env: { ...process.env, MESHFORM_WORKERS: workers, COUNT_FILE: countFile, NO_COLOR: '1' },
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      // A pool left open would keep the process alive for its idle timeout (60 s).
      timeout: 240_000,
    });
    return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr, threads: Number(readFileSync(countFile, 'utf8')) };
  };

  // Stacks are read from the working directory's stacks/: plan runs from the repository root.
  const same = (args: string[], status: number, cwd = temp) => {
    const threaded = run('2', args, cwd);
    const alone = run('0', args, cwd);
    expect({ status: threaded.status, signal: threaded.signal }).toEqual({ status, signal: null });
    expect({ status: alone.status, signal: alone.signal }).toEqual({ status, signal: null });
    expect(threaded.threads).toBeGreaterThanOrEqual(1);
    expect(threaded.threads).toBeLessThanOrEqual(2);
    expect(alone.threads).toBe(0);
    expect(threaded.stdout).toBe(alone.stdout);
    expect(threaded.stderr).toBe(alone.stderr);
    return threaded;
  };

  it('validate: the same diagnostics in the same order, exit 1', () => {
    const { stdout, stderr } = same(['validate', 'broken'], 1);
    const text = stdout + stderr;
    // The flow collection opened on line 2 is still open where the file ends (line 3).
    expect(text).toMatch(/^broken\/product0100\.yaml:3:1: error MF-SYNTAX: YAML syntax: unexpected end of the stream within a flow collection$/m);
    expect(text).toMatch(/^broken\/product0250\.yaml:1:1: warning MF-NOT-A-SPEC: /m);
    expect(text).toMatch(/^broken\/product0400\.yaml:1:\d+: error MF-ASYNCAPI-VERSION: unsupported AsyncAPI version "9\.9\.9"/m);
    // product0499 grants to product0500, whose file is gone.
    expect(text).toContain('grant to urn:bench:domain0:product500: no spec in the mesh has that id');
  }, 600_000);

  it('validate --json: the same document', () => {
    const { stdout } = same(['validate', 'broken', '--json'], 1);
    const report = JSON.parse(stdout) as { diagnostics: Array<{ code: string; location?: { file: string } }> };
    expect(report.diagnostics.some((d) => d.code === 'MF-SYNTAX' && d.location?.file === 'broken/product0100.yaml')).toBe(true);
  }, 600_000);

  it('plan and plan --json of a valid mesh: the same plan', () => {
    const { stdout } = same(['plan', valid, '--stack', 'dev'], 0, ROOT);
    expect(stdout).toContain(`${PRODUCTS} products`);
    const json = same(['plan', valid, '--stack', 'dev', '--json'], 0, ROOT);
    const plan = JSON.parse(json.stdout) as { resources: Array<{ kind: string; name: string; product?: string }> };
    // Every generated product owns 3 topics (one per channel), each planned as a kafka:Topic.
    expect(plan.resources.filter((r) => r.kind === 'kafka:Topic').length).toBe(PRODUCTS * 3);
  }, 600_000);
});
