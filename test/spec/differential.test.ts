/**
 * meshform's AsyncAPI checks must accept and reject exactly what `new Parser()` with its default
 * ruleset does. Files of the corpora are run through both (the default parser costs ~300 ms a
 * file, so meshform-only cases, which are valid AsyncAPI, are sampled). Files meshform's `$ref` policy refuses are left out: the default parser
 * would fetch or read them, which is exactly what the policy prevents.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Parser } from '@asyncapi/parser';
import { createLoader, checkAsyncApi } from '../../src/spec/read';
import { guardRefs } from '../../src/spec/refs';
import { FIXTURES, filesUnder } from './corpus';

const cwd = path.resolve(__dirname, '../..');
const specsFolder = path.join(cwd, 'specs');
const fragments = /[/\\]common[/\\]/;

/** Cases about AsyncAPI itself run in full; meshform-only invalid cases (valid AsyncAPI) are sampled. */
const asyncApiCase = /[/\\](asyncapi-|syntax-|version-|id-not-a-uri|kafka-partitions-zero-v3|ref-local)|asyncapi-differential|[/\\]valid[/\\]/;
const files = [...filesUnder(FIXTURES), ...filesUnder(specsFolder)]
  .filter((f) => !fragments.test(f))
  .filter((f, i) => asyncApiCase.test(f) || f.startsWith(specsFolder) || i % 4 === 0);

describe('AsyncAPI verdicts agree with the default @asyncapi/parser', () => {
  const defaultParser = new Parser();
  const load = createLoader(cwd);

  it('covers the valid, invalid and differential corpora', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it.each(files.map((f) => [path.relative(FIXTURES, f), f]))('%s', async (_name, file) => {
    const source = load(file);
    if (!source) throw new Error(`cannot read ${file}`);
    const root = path.dirname(file);
    if (source.value !== undefined && guardRefs(source, root, load).diagnostics.length > 0) {
      expect(file).toMatch(/ref-|escape/);
      return;
    }
    const ours = await checkAsyncApi(source, root, load);
    const theirs = await defaultParser.parse(fs.readFileSync(file, 'utf8'), { source: file });
    const theirErrors = theirs.diagnostics.filter((d) => d.severity === 0).map((d) => `${d.code}: ${d.message}`);
    const ourErrors = ours.diagnostics.map((d) => `${d.code}: ${d.message}`);
    expect({ accepted: ours.document !== undefined, errors: ourErrors.length > 0 })
      .toEqual({ accepted: theirs.document !== undefined, errors: theirErrors.length > 0 });
  });
});
