/**
 * meshform's reading of YAML and JSON against `@stoplight/yaml`'s `parseWithPointers` with the
 * options `@asyncapi/parser`'s Spectral passes: the same texts are errors, and the others read to
 * the same value. Over every fixture and example spec, and over generated YAML (fast-check,
 * seeded) full of what differs between readers: scalar types, anchors, aliases (also inside their
 * own anchor), merge keys, duplicate keys, flow and block styles, and spliced-in syntax.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseWithPointers } from '@stoplight/yaml';
import fc from 'fast-check';
import { parseSource } from '../../src/reading/source';

const REPO = path.resolve(__dirname, '../..');
const SEED = Number(process.env.FC_SEED ?? 23);

/** Spectral's reading: `@stoplight/spectral-parsers`' Yaml parser options. */
function spectral(text: string): { error: boolean; data: unknown } {
  const parsed = parseWithPointers(text, { ignoreDuplicateKeys: false, mergeKeys: true, preserveKeyOrder: false, attachComments: false });
  return { error: parsed.diagnostics.some((d) => d.severity === 0), data: parsed.data };
}

function meshform(text: string): { error: boolean; data: unknown } {
  const source = parseSource('/x.yaml', 'x.yaml', text);
  return { error: source.syntaxErrors.length > 0, data: source.value };
}

function expectSameReading(text: string): void {
  const theirs = spectral(text);
  const ours = meshform(text);
  expect({ text, error: ours.error }).toEqual({ text, error: theirs.error });
  if (!theirs.error) expect({ text, data: ours.data }).toEqual({ text, data: theirs.data });
}

describe('reading YAML and JSON as Spectral does', () => {
  const files = [path.join(REPO, 'specs'), path.join(REPO, 'test/fixtures/specs'), path.join(REPO, 'test/fixtures/catalog')]
    .flatMap((dir) => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)))
    .filter((f) => /\.(ya?ml|json)$/.test(f) && fs.statSync(f).isFile())
    .sort();

  it('every fixture and example spec', () => {
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) expectSameReading(fs.readFileSync(file, 'utf8'));
  });

  it.each([
    ['an alias inside its own anchor', 'a: &a [1, *a]\nb: {x: &b {y: *b}}\n'],
    ['nested self references', 'x: &a [&b [*a, *b], *b]\n'],
    ['merge keys: a map, a list of maps (first wins), own keys', 'base: &b {a: 1, b: 2}\nother: &o {b: 3, c: 4}\nm: {<<: [*b, *o], a: 0}\nn:\n  a: 9\n  <<: *b\n'],
    ['a merge of a scalar', 'm: {<<: 1, a: 2}\n'],
    ['duplicate keys, also by value (1 and "1")', 'a: 1\n"1": 2\n1: 3\n'],
    ['duplicate "<<" keys are merges, not duplicates', 'b: &b {x: 1}\nm:\n  <<: *b\n  <<: *b\n'],
    ['scalar types', 'a: [0x1F, 0o17, 012, 1.5e3, .inf, -.Inf, .NaN, true, False, ~, null, "", 12345678901234567890, +12, yes, 1_000]\n'],
    ['keys of every type', '1: a\ntrue: b\n~: c\n1.50: d\n0x1: e\n'],
    ['a key that is a map', '? {a: 1}\n: x\nb: 2\n'],
    ['an unknown alias', 'a: *nope\n'],
    ['a tab in the indentation', 'a:\n\tb: 1\n'],
    ['missed commas in flow', 'a: [1 2 3]\nb: c\n'],
    ['empty and comment-only documents', '# nothing\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
  ])('%s', (_case, text) => expectSameReading(text));

  it('generated YAML (seeded)', () => {
    const scalar = fc.constantFrom('1', '0x1F', '0o17', '012', '1.5', '.inf', '-.Inf', '.nan', 'true', 'False', 'null', '~', "''", '"d"', 'yes', '12345678901234567890', '1e3', 'abc', '"<<"', "'a: b'", '-', '"\\u0041"');
    const key = fc.constantFrom('a', 'b', 'c', '<<', '1', '"1"', 'true', 'null', '~', '$ref', 'x y');
    const anchor = fc.constantFrom('', '', '', '&a ', '&b ');
    const node: fc.Memo<string> = fc.memo((n) =>
      n <= 1
        ? fc.oneof(scalar, fc.constantFrom('*a', '*b'))
        : fc.oneof(
            scalar,
            fc.constantFrom('*a', '*b'),
            fc.tuple(anchor, fc.array(fc.tuple(key, node(n - 1)), { maxLength: 4 })).map(([a, entries]) => `${a}{${entries.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
            fc.tuple(anchor, fc.array(node(n - 1), { maxLength: 4 })).map(([a, items]) => `${a}[${items.join(', ')}]`),
          ),
    );
    const block = fc.array(fc.tuple(key, anchor, node(3)), { minLength: 1, maxLength: 6 }).map((entries) => entries.map(([k, a, v]) => `${k}: ${a}${v}`).join('\n') + '\n');
    const splice = fc.tuple(block, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.constantFrom(': ', '- ', '[', '}', ',', '&a ', '*a', '<<: *a\n', '\t', '#', "'", '"', '\n', '\n  ', '? ')).map(
      ([text, at, piece]) => {
        const i = Math.floor(at * text.length);
        return text.slice(0, i) + piece + text.slice(i);
      },
    );
    fc.assert(fc.property(fc.oneof(block, splice), (text) => expectSameReading(text)), { seed: SEED, numRuns: 2000 });
  });
});
