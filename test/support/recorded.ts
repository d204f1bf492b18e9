/**
 * Recorded outputs: what a command prints, kept as a plain file next to the tests and reviewed by
 * hand. The recording is the oracle, so it is never rewritten silently: `MESHFORM_RECORD=1` writes
 * missing or changed recordings (review the diff before committing), otherwise a difference fails.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';

const RECORD = process.env.MESHFORM_RECORD === '1';

export function expectRecorded(file: string, actual: string): void {
  const text = actual.endsWith('\n') ? actual : actual + '\n';
  if (RECORD) {
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    return;
  }
  if (!existsSync(file)) {
    throw new Error(`no recording ${relative(process.cwd(), file)}: run with MESHFORM_RECORD=1, then review the file by hand`);
  }
  expect(text).toBe(readFileSync(file, 'utf8'));
}
