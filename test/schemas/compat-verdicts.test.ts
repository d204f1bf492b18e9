/**
 * meshform's local compatibility checks against the real registry's recorded verdicts, case by
 * case and level by level, without the registry (compat-oracle.test.ts keeps the recording true
 * whenever the registry peer is installed). Runs everywhere, so no check can drift unseen.
 */
import { readFileSync } from 'node:fs';
import { compatibilityProblems } from '../../src/schemas';
import { EVOLUTIONS, KNOWN_DIFFERENCES, LEVELS, VERDICTS_FILE } from './compat-cases';

const recorded = new Map(
  readFileSync(VERDICTS_FILE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const at = line.lastIndexOf(': ');
      return [line.slice(0, at), line.slice(at + 2) === 'compatible'] as const;
    }),
);

const cases = EVOLUTIONS.flatMap((c) => LEVELS.map((level) => [`${c.name} ${level}`, c, level] as const));

it('every case has the registry verdict recorded, and nothing else is recorded', () => {
  expect([...recorded.keys()].sort()).toEqual(cases.map(([title]) => title).sort());
});

it.each(cases)('%s', (title, c, level) => {
  const registry = recorded.get(title);
  const ours = compatibilityProblems(c.type, level, c.before, c.after);
  if (KNOWN_DIFFERENCES.has(title)) {
    expect({ registry, meshform: ours.length === 0 }).toEqual({ registry: true, meshform: false });
  } else {
    expect({ compatible: ours.length === 0, problems: ours }).toEqual({ compatible: registry, problems: registry ? [] : expect.any(Array) });
  }
});
