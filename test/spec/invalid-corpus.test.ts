import * as path from 'node:path';
import { loadMesh } from '../../src/model';
import { INVALID, cases, expectationsOf } from './corpus';

const cwd = path.resolve(__dirname, '../..');

describe('invalid spec corpus: each case reports its code at its line', () => {
  const all = cases(INVALID);

  it('has 30+ cases', () => {
    expect(all.length).toBeGreaterThanOrEqual(30);
  });

  it.each(all.map((c) => [path.basename(c), c]))('%s', async (_name, target) => {
    const expectations = expectationsOf(target);
    const result = await loadMesh([target], { cwd });
    const got = result.diagnostics.flatMap((d) => [`${d.code} ${d.location?.file}:${d.location?.line}`, `${d.code} ${d.location?.file}:${d.location?.line}:${d.location?.col}`]);
    // The syntax case written in JSON cannot carry a comment: it only asserts the code.
    if (expectations.length === 0) {
      expect(got.join('\n')).toMatch(/MF-SYNTAX .*:\d+/);
      return;
    }
    for (const e of expectations) {
      expect(got).toContain(`${e.code} ${path.relative(cwd, e.file)}:${e.line}${e.col ? `:${e.col}` : ''}`);
    }
    const expectsOnlyWarnings = expectations.every((e) =>
      /GRANT-PUBLIC|UNKNOWN-PRODUCT|UNDECLARED|NOT-A-SPEC|BINDING-KEY|GRANT-EVERYONE|DIALECT-HINT|DIALECT-DIFFERS|SCHEMA-FORMAT|SCHEMA-MULTIPLE|SCHEMA-UNSUPPORTED/.test(e.code),
    );
    expect(result.mesh === undefined).toBe(!expectsOnlyWarnings);
  });
});
