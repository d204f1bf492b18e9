/**
 * Fixture corpora. An invalid case is a file or a folder (mesh-level cases) under
 * `test/fixtures/specs/invalid/`; each expected diagnostic is a comment on the line it must point
 * at, with its column (`CODE@col` or `CODE @col`) and, optionally, a part of its message:
 *
 *   owner: alice@acme.com  # expect: MF-META-INVALID @3 ~ did you mean "owners"?
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const FIXTURES = path.resolve(__dirname, '../fixtures/specs');
export const INVALID = path.join(FIXTURES, 'invalid');
export const VALID = path.join(FIXTURES, 'valid');

export interface Expectation { code: string; file: string; line: number; col?: number; message?: string }

export function filesUnder(target: string): string[] {
  if (!fs.statSync(target).isDirectory()) return [target];
  return fs.readdirSync(target, { withFileTypes: true })
    .flatMap((e) => filesUnder(path.join(target, e.name)))
    .sort();
}

export function expectationsOf(caseTarget: string): Expectation[] {
  return filesUnder(caseTarget).flatMap((file) =>
    fs.readFileSync(file, 'utf8').split('\n').flatMap((text, i) => {
      const match = /#\s*expect:\s*([\w-]+)(?:\s*@(\d+))?(?:\s+~\s*(.+?))?\s*$/.exec(text);
      if (!match) return [];
      return [{ code: match[1], file, line: i + 1, ...(match[2] ? { col: Number(match[2]) } : {}), ...(match[3] ? { message: match[3] } : {}) }];
    }));
}

export function cases(dir: string): string[] {
  return fs.readdirSync(dir).sort().map((name) => path.join(dir, name));
}
