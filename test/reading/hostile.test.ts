/**
 * Hostile specs, each a named case: the committed ones in test/fixtures/specs/hostile/, the large
 * ones (alias bombs, 100k-deep JSON, 160k keys) generated here, never committed. Each is read by
 * `meshform validate` in its own process under a memory cap and a time cap, and answers with a
 * located `MF-LIMIT-*` error (exit 1) or reads normally: never a hang, a crash or exit 70.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseSource } from '../../src/reading/source';
import { HOSTILE_HEAD, HOSTILE_HEAD_LINES, aliasBomb, manyKeys } from '../support/hostile-specs';

const REPO = path.resolve(__dirname, '../..');
const HOSTILE = path.join(REPO, 'test/fixtures/specs/hostile');
/** Far above what a limit-bound read takes; the cases ran for minutes or gigabytes before. */
const TIME_CAP_MS = 60_000;
const HEAP_CAP_MB = 384;

const HEAD = HOSTILE_HEAD;
const HEAD_LINES = HOSTILE_HEAD_LINES;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(tmpdir(), 'meshform-hostile-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** `meshform validate <file>` in a child process with a heap cap; its exit code, output and time. */
function validate(file: string): { code: number | null; out: string; ms: number } {
  const started = Date.now();
  const run = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_CAP_MB}`, path.join(REPO, 'bin/meshform.js'), 'validate', file], {
    encoding: 'utf8',
    timeout: TIME_CAP_MS,
  });
  return { code: run.status, out: `${run.stdout}${run.stderr}`, ms: Date.now() - started };
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function expectNoCrash(run: { code: number | null; out: string; ms: number }): void {
  expect(run.out).not.toMatch(/internal error|Maximum call stack|heap out of memory|\n\s+at /);
  expect(run.code).not.toBeNull(); // null: killed at the time cap
  expect(run.ms).toBeLessThan(TIME_CAP_MS);
}

describe('hostile specs: a located limit error, never a hang or a crash', () => {
  // Expansion of `*l<k-1>` adds S(k-1) values, S(0) = 10 (the list and its 9 strings), S(k) = 1 + 9 S(k-1):
  // levels 1-4 add 90 + 819 + 7,380 + 66,429 = 74,718; the first alias of level 5 adds 66,430 and passes 100,000.
  it.each([6, 9])('a YAML alias bomb of %i levels is MF-LIMIT-ALIAS-EXPANSION at the first alias of level 5', (levels) => {
    const file = write(`bomb-${levels}.yaml`, aliasBomb(levels));
    const run = validate(file);
    expectNoCrash(run);
    expect(run.code).toBe(1);
    const line = HEAD_LINES + 1 + 1 + 5; // x-bomb:, l0, then l1..l5
    expect(run.out).toContain(`${file}:${line}:12: error MF-LIMIT-ALIAS-EXPANSION:`);
  });

  it('more aliases than maxAliases (1,000) is MF-LIMIT-ALIASES at the 1,001st', () => {
    const lines = Array.from({ length: 1001 }, () => '  - *a');
    const file = write('aliases.yaml', `${HEAD}x-target: &a {k: v}\nx-aliases:\n${lines.join('\n')}\n`);
    const run = validate(file);
    expectNoCrash(run);
    expect(run.code).toBe(1);
    expect(run.out).toContain(`${file}:${HEAD_LINES + 2 + 1001}:5: error MF-LIMIT-ALIASES:`);
  });

  it.each([
    ['130 levels (within the parser, past the limit)', 130],
    ['100,000 levels (past what the parser can recurse)', 100_000],
  ])('JSON nested %s is MF-LIMIT-DEPTH at the first value past 128 levels', (_case, depth) => {
    const head = '{"asyncapi": "3.0.0", "id": "urn:acme:hostile:deep", "x-deep": ';
    const file = write(`deep-${depth}.json`, `${head}${'['.repeat(depth)}${']'.repeat(depth)}}`);
    const run = validate(file);
    expectNoCrash(run);
    expect(run.code).toBe(1);
    // The document is level 1, the first "[" level 2: level 129 is the 128th "[".
    expect(run.out).toContain(`${file}:1:${head.length + 128}: error MF-LIMIT-DEPTH:`);
  });

  it('YAML nested deeper than the parser can recurse ("- - - ...") is MF-LIMIT-DEPTH, located', () => {
    const file = write('deep-seq.yaml', `${HEAD}x-deep:\n  ${'- '.repeat(50_000)}x\n`);
    const run = validate(file);
    expectNoCrash(run);
    expect(run.code).toBe(1);
    // x-deep's list is level 2, so level 129 is the 128th "- ", at column 3 + 127 * 2.
    expect(run.out).toContain(`${file}:${HEAD_LINES + 2}:${3 + 127 * 2}: error MF-LIMIT-DEPTH:`);
  });

  it('a file past maxFileBytes is MF-LIMIT-SIZE at 1:1, without being read', () => {
    const file = path.join(dir, 'large.yaml');
    fs.writeFileSync(file, HEAD);
    fs.truncateSync(file, 16 * 1024 * 1024 + 1);
    const run = validate(file);
    expectNoCrash(run);
    expect(run.code).toBe(1);
    expect(run.out).toContain(`${file}:1:1: error MF-LIMIT-SIZE:`);
  });

  it('more than maxKeys (250,000) map keys is MF-LIMIT-KEYS at the first key past it', () => {
    const keys = Array.from({ length: 250_001 }, (_, i) => `  k${i}: v`);
    const file = write('keys.yaml', `${HEAD}x-keys:\n${keys.join('\n')}\n`);
    const run = validate(file);
    expectNoCrash(run);
    expect(run.code).toBe(1);
    // Keys count in document order: the head has 15, x-keys is the 16th, so key 250,001 is k249984.
    expect(run.out).toContain(`${file}:${HEAD_LINES + 1 + 249_985}:3: error MF-LIMIT-KEYS:`);
  });

  it('a $ref bomb (2^40 values once resolved) is MF-LIMIT-RESOLVED at the $ref that carries it', () => {
    const file = path.join(HOSTILE, 'ref-bomb.yaml');
    const run = validate(file);
    expectNoCrash(run);
    expect(run.code).toBe(1);
    expect(run.out).toContain(`${path.relative(process.cwd(), file)}:11:17: error MF-LIMIT-RESOLVED:`);
  });

  it.each(['self-alias.yaml', 'payload-draft-04.yaml'])('%s reads normally (exit 0)', (name) => {
    const run = validate(path.join(HOSTILE, name));
    expectNoCrash(run);
    expect(run.code).toBe(0);
  });
});

describe('reading is linear', () => {
  /** CPU time of reading a spec with `keys` keys of 64 bytes each (the 160k case is 10 MB). */
  function readCpuMs(keys: number): number {
    const text = manyKeys(keys);
    const start = process.cpuUsage();
    const source = parseSource('/big.yaml', 'big.yaml', text);
    const used = process.cpuUsage(start);
    expect(source.syntaxErrors).toEqual([]);
    return (used.user + used.system) / 1000;
  }

  it('160,000 keys (10 MB) read in under 2 s of CPU, and 8 times the keys cost far less than 64 times', () => {
    readCpuMs(20_000); // warm up the parser's code
    const small = readCpuMs(20_000);
    const large = readCpuMs(160_000);
    expect(large).toBeLessThan(2_000);
    // Quadratic reading (a duplicate-key search per key) made this ratio 64; linear is about 8.
    expect(large / Math.max(small, 1)).toBeLessThan(20);
  });

  it('a duplicate among 160,000 keys is still reported, at its line', () => {
    const lines = Array.from({ length: 160_000 }, (_, i) => `  k${i}: v`);
    lines.push('  k77: again');
    const source = parseSource('/big.yaml', 'big.yaml', `${HEAD}x-keys:\n${lines.join('\n')}\n`);
    expect(source.syntaxErrors.map((d) => `${d.code} ${d.location?.line}:${d.location?.col} ${d.message}`)).toEqual([
      `MF-SYNTAX ${HEAD_LINES + 1 + 160_001}:3 YAML syntax: duplicate key`,
    ]);
  });
});
