/**
 * YAML mistakes as people make them, in a real spec: one diagnostic per mistake, at a column
 * inside the line (the parser recovers and reports follow-on errors, some past the line's end).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSource } from '../../src/spec/source';

const ORDERS = readFileSync(join(__dirname, '..', '..', 'specs', 'retail-orders.yaml'), 'utf8').split('\n');

/** The spec with line `n` (1-based) replaced. */
function withLine(n: number, text: string): string {
  return ORDERS.map((line, i) => (i === n - 1 ? text : line)).join('\n');
}

describe('a YAML mistake is one diagnostic inside its line', () => {
  it.each([
    ['a key indented one space less than its siblings', 24, '       replicas: 3', 8],
    ['a key indented one space more than its siblings', 24, '         replicas: 3', 10],
    ['a key indented one space less at the top of info', 5, ' version: 1.2.0', 2],
    ['a tab in the indentation', 24, '\treplicas: 3', 1],
  ])('%s', (_case, line, text, col) => {
    expect(ORDERS[line - 1].trim()).toBe(text.trim());
    const source = parseSource('/specs/orders.yaml', 'specs/orders.yaml', withLine(line, text));
    expect(source.syntaxErrors).toHaveLength(1);
    const [d] = source.syntaxErrors;
    expect(d.code).toBe('MF-SYNTAX');
    expect(d.location).toEqual({ file: 'specs/orders.yaml', line, col });
    expect(col).toBeLessThanOrEqual(text.length);
  });

  it('says to quote a value with ": " in it', () => {
    const source = parseSource('/specs/orders.yaml', 'specs/orders.yaml', withLine(4, '  title: Orders: Extra'));
    expect(source.syntaxErrors.map((d) => `${d.location?.line}:${d.location?.col} ${d.message}`)).toEqual([
      '4:16 YAML syntax: incomplete explicit mapping pair; a key node is missed (a value that contains ": " must be quoted)',
    ]);
  });
});
