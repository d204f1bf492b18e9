import * as path from 'node:path';
import { loadMesh } from '../../src/model';
import { INVALID, cases, expectationsOf } from './corpus';

const cwd = path.resolve(__dirname, '../..');

/** The order diagnostics come in: by file, line, column (sortDiagnostics). */
function byPlace(a: string, b: string): number {
  const place = (s: string) => /^\S+ (.*):(\d+):(\d+)$/.exec(s)!;
  const [, fa, la, ca] = place(a);
  const [, fb, lb, cb] = place(b);
  return fa < fb ? -1 : fa > fb ? 1 : Number(la) - Number(lb) || Number(ca) - Number(cb);
}

describe('invalid spec corpus: each case reports exactly its diagnostics, each at its line and column', () => {
  const all = cases(INVALID);

  it('has 30+ cases', () => {
    expect(all.length).toBeGreaterThanOrEqual(30);
  });

  it.each(all.map((c) => [path.basename(c), c]))('%s', async (_name, target) => {
    const expectations = expectationsOf(target);
    const result = await loadMesh([target], { cwd });
    const got = result.diagnostics.map((d) => `${d.code} ${d.location?.file}:${d.location?.line}:${d.location?.col}`);
    // The syntax case written in JSON cannot carry a comment: its place is written here.
    if (expectations.length === 0) {
      expect(got).toEqual([`MF-SYNTAX ${path.relative(cwd, target)}:4:1`]);
      return;
    }
    for (const e of expectations) {
      if (e.col === undefined) throw new Error(`${e.file}:${e.line}: give the column too: # expect: ${e.code} @<col>`);
    }
    expect(got).toEqual(expectations.map((e) => `${e.code} ${path.relative(cwd, e.file)}:${e.line}:${e.col}`).sort(byPlace));
    for (const e of expectations.filter((x) => x.message)) {
      const d = result.diagnostics.find((x) => x.code === e.code && x.location?.line === e.line && x.location.file === path.relative(cwd, e.file));
      expect(d?.message).toContain(e.message);
    }
    const expectsOnlyWarnings = expectations.every((e) =>
      /GRANT-PUBLIC|UNKNOWN-PRODUCT|UNDECLARED|NOT-A-SPEC|BINDING-KEY|GRANT-EVERYONE|DIALECT-HINT|DIALECT-DIFFERS|SCHEMA-FORMAT|SCHEMA-MULTIPLE|SCHEMA-UNSUPPORTED|CONFIG-REMOVED|SETTING-IGNORED/.test(e.code),
    );
    expect(result.mesh === undefined).toBe(!expectsOnlyWarnings);
  });
});
