/**
 * YAML mistakes as people make them, in a real spec: one diagnostic per mistake, at a column
 * inside the line (the parser recovers and reports follow-on errors, some past the line's end).
 */
import { parseSource } from '../../src/reading/source';

const ORDERS = `asyncapi: 3.0.0
id: urn:acme:retail:orders
info:
  title: Orders
  version: 1.2.0
x-meshform:
  owners: [group:orders@acme.com]
channels:
  orderPlaced:
    address: _public.order_placed
    bindings:
      kafka:
        partitions: 6
        replicas: 3
        topicConfiguration:
          retention.ms: 604800000
operations:
  sendPlaced:
    action: send
    channel: {$ref: '#/channels/orderPlaced'}
`.split('\n');

/** The spec with line `n` (1-based) replaced. */
function withLine(n: number, text: string): string {
  return ORDERS.map((line, i) => (i === n - 1 ? text : line)).join('\n');
}

describe('a YAML mistake is one diagnostic inside its line', () => {
  it('the spec itself is fine', () => {
    expect(parseSource('/specs/orders.yaml', 'specs/orders.yaml', ORDERS.join('\n')).syntaxErrors).toEqual([]);
  });

  it.each([
    ['a key indented one space less than its siblings', 14, '       replicas: 3', 8],
    ['a key indented one space more than its siblings', 14, '         replicas: 3', 10],
    ['a key indented one space less at the top of info', 5, ' version: 1.2.0', 2],
    ['a tab in the indentation', 14, '\treplicas: 3', 1],
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
