/**
 * Fuzzing the reader and the mesh checks (fast-check, seeded: a failure prints its seed and path,
 * and `FC_SEED=<seed> FC_PATH=<path>` replays it, `FC_RUNS` sets the number of runs). Every run starts from the
 * example mesh or a valid fixture, mutates one to three of its specs (structure, types, strings,
 * `$ref`s, then the text itself) and runs `meshform validate --json` on the folder. Whatever the
 * input, the answer is exit 0, 1 or 2, every diagnostic is located inside the file it names,
 * within a time and a memory cap, and never an internal error.
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { runCli } from '../cli/support';

const REPO = path.resolve(__dirname, '../..');
const SEED = Number(process.env.FC_SEED ?? 23);
const RUNS = Number(process.env.FC_RUNS ?? 120);
/** Per case; generous because CI machines are shared. A hang or a quadratic blow-up is far past it. */
const TIME_CAP_MS = 20_000;
const HEAP_CAP_BYTES = 1.5 * 1024 ** 3;

/** Where each run starts: the example mesh, and the valid fixtures (files and mesh folders). */
const BASES: readonly string[] = [
  path.join(REPO, 'specs'),
  ...fs.readdirSync(path.join(REPO, 'test/fixtures/specs/valid')).map((f) => path.join(REPO, 'test/fixtures/specs/valid', f)),
];

/** Strings people and attackers put where a name or a text goes. */
const HOSTILE_STRINGS = [
  '<script>alert(17)</script>',
  '"><img src=x onerror=alert(17)>',
  '__proto__',
  'constructor',
  '$ref',
  '../../../../etc/passwd',
  'urn:acme:retail:orders',
  'grant-access:urn:acme:finance:billing',
  'group:<b>x</b>@acme.com',
  '_public.x',
  '\u0000\u202e\ufeff',
  'x'.repeat(5000),
  '{{7*7}}',
  '%s%n',
];

const REFS = [
  '#/',
  '#/channels',
  '#/components/schemas/nope',
  '#',
  './schemas/finance/payment-captured.json',
  './schemas/customer/profile-updated.avsc',
  '/schemas/finance/payment-captured.json',
  '../../../../etc/passwd',
  'http://127.0.0.1:9/x.yaml',
  '//127.0.0.1:9/x',
  'file:///etc/passwd',
  './self.yaml#/channels',
  '%zz',
];

/** Text a mutation may splice into a YAML/JSON document: its syntax, anchors and aliases. */
const SPLICES = [': ', '- ', '[', ']', '{', '}', ',', '&a ', '*a', '<<: *a\n', '\t', '#', "'", '"', '\n', '\n  ', '? ', '|\n', '!!binary ', '~', '0x1F', '.inf', 'null', '\\u0000', '---\n', '...\n', '%YAML 1.2\n'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type Mutation =
  | { kind: 'replace'; at: number; value: Json }
  | { kind: 'delete'; at: number }
  | { kind: 'ref'; at: number; ref: string }
  | { kind: 'nest'; at: number; levels: number; inList: boolean }
  | { kind: 'key'; at: number; key: string; value: Json }
  | { kind: 'splice'; at: number; text: string }
  | { kind: 'cut'; at: number; length: number };

const position = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const hostile = fc.constantFrom(...HOSTILE_STRINGS);
const leaf: fc.Arbitrary<Json> = fc.oneof(hostile, fc.string(), fc.integer(), fc.constantFrom(-1, 0, 1e308, 0.5, true, false, null));
const json: fc.Arbitrary<Json> = fc.oneof({ weight: 3, arbitrary: leaf }, fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: position, value: json }),
  fc.record({ kind: fc.constant('delete' as const), at: position }),
  fc.record({ kind: fc.constant('ref' as const), at: position, ref: fc.constantFrom(...REFS) }),
  fc.record({ kind: fc.constant('nest' as const), at: position, levels: fc.integer({ min: 1, max: 300 }), inList: fc.boolean() }),
  fc.record({ kind: fc.constant('key' as const), at: position, key: fc.oneof(hostile, fc.string()), value: json }),
  fc.record({ kind: fc.constant('splice' as const), at: position, text: fc.oneof(fc.constantFrom(...SPLICES), fc.string({ maxLength: 8 })) }),
  fc.record({ kind: fc.constant('cut' as const), at: position, length: fc.integer({ min: 1, max: 40 }) }),
);

/** Every container and value in a document, as parent + key (the root has none). */
function sites(value: Json): Array<{ parent: Json[] | { [key: string]: Json }; key: string | number }> {
  const out: Array<{ parent: Json[] | { [key: string]: Json }; key: string | number }> = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        out.push({ parent: node, key: i });
        walk(child);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const k of Object.keys(node)) {
        out.push({ parent: node, key: k });
        walk(node[k]);
      }
    }
  };
  walk(value);
  return out;
}

function mutateValue(doc: Json, m: Mutation): Json {
  const all = sites(doc);
  if (all.length === 0) return doc;
  const { parent, key } = all[Math.floor(m.at * all.length)];
  const get = () => (parent as Record<string | number, Json>)[key];
  const set = (v: Json) => ((parent as Record<string | number, Json>)[key] = v);
  switch (m.kind) {
    case 'replace':
      set(m.value);
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      break;
    case 'ref':
      set({ $ref: m.ref });
      break;
    case 'nest': {
      let v = get();
      for (let i = 0; i < m.levels; i++) v = m.inList ? [v] : { n: v };
      set(v);
      break;
    }
    case 'key': {
      const target = get();
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) target[m.key] = m.value;
      else set({ [m.key]: m.value });
      break;
    }
  }
  return doc;
}

function mutateText(text: string, m: Mutation): string {
  const at = Math.floor(m.at * (text.length + 1));
  if (m.kind === 'splice') return text.slice(0, at) + m.text + text.slice(at);
  if (m.kind === 'cut') return text.slice(0, at) + text.slice(at + m.length);
  return text;
}

function specFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ya?ml|json)$/.test(e.name) && !/^meshform\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Copies the base, mutates some of its files, and returns the folder to validate. */
function prepare(base: string, picks: number[], mutations: Mutation[][]): string {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'meshform-fuzz-'));
  const target = path.join(dir, 'mesh');
  if (fs.statSync(base).isDirectory()) fs.cpSync(base, target, { recursive: true });
  else {
    fs.mkdirSync(target);
    fs.copyFileSync(base, path.join(target, path.basename(base)));
  }
  const files = specFiles(target);
  picks.forEach((pick, i) => {
    const file = files[Math.floor(pick * files.length)];
    const isJson = file.endsWith('.json');
    const text = fs.readFileSync(file, 'utf8');
    let doc: Json;
    try {
      doc = JSON.parse(isJson ? text : JSON.stringify(parse(text, { logLevel: 'silent' })));
    } catch {
      return;
    }
    for (const m of mutations[i]) doc = mutateValue(doc, m);
    let out = isJson ? JSON.stringify(doc, null, 2) : stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 });
    for (const m of mutations[i]) out = mutateText(out, m);
    fs.writeFileSync(file, out);
  });
  return target;
}

describe('fuzz: reader and mesh checks', () => {
  jest.setTimeout(30 * 60_000);

  it(`every mutated spec ends in exit 0/1/2 with located diagnostics, no internal error (seed ${SEED}, ${RUNS} runs)`, async () => {
    const cases = fc.tuple(
      fc.constantFrom(...BASES),
      fc.array(fc.tuple(position, fc.array(mutation, { minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 3 }),
    );
    let exits = { 0: 0, 1: 0, 2: 0 } as Record<number, number>;
    await fc.assert(
      fc.asyncProperty(cases, async ([base, edits]) => {
        const folder = prepare(base, edits.map((e) => e[0]), edits.map((e) => e[1]));
        try {
          const started = Date.now();
          const run = await runCli('validate', folder, '--json');
          const took = Date.now() - started;
          expect(run.stderr).not.toContain('internal error');
          expect([0, 1, 2]).toContain(run.code);
          exits = { ...exits, [run.code]: (exits[run.code] ?? 0) + 1 };
          expect(took).toBeLessThan(TIME_CAP_MS);
          expect(process.memoryUsage().heapUsed).toBeLessThan(HEAP_CAP_BYTES);
          if (run.code === 2) return;
          const report = JSON.parse(run.stdout) as { diagnostics: Array<{ code: string; location?: { file: string; line: number; col: number } }> };
          for (const d of report.diagnostics) {
            expect(d.code).toMatch(/^(MF-[A-Z0-9-]+|asyncapi[\w-]*|invalid-ref)$/);
            expect(d.location).toBeDefined();
            const { file, line, col } = d.location!;
            const absolute = path.resolve(REPO, file);
            const lines = fs.lstatSync(absolute).isSymbolicLink() || fs.statSync(absolute).isDirectory() ? 1 : fs.readFileSync(absolute, 'utf8').split('\n').length;
            expect(line).toBeGreaterThanOrEqual(1);
            expect(line).toBeLessThanOrEqual(lines);
            expect(col).toBeGreaterThanOrEqual(1);
          }
        } finally {
          fs.rmSync(path.dirname(folder), { recursive: true, force: true });
        }
      }),
      {
        seed: SEED,
        numRuns: RUNS,
        ...(process.env.FC_PATH && { path: process.env.FC_PATH }),
        endOnFailure: true,
      },
    );
    // The runs reach both verdicts: a fuzzer whose mutations were all rejected (or all ignored) tests little.
    expect(exits[0]).toBeGreaterThan(0);
    expect(exits[1]).toBeGreaterThan(0);
  });
});
