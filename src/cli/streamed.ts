/**
 * Large outputs written as they are made: a plan of 10,000 products (300 MB of JSON) is turned
 * into text a block at a time and handed to `io.out` in chunks, so the whole never exists as one
 * string. `writeJson` gives the same bytes as `JSON.stringify(value, null, 2)`.
 */
import type { Io } from './io';

/** About this many characters are handed to `io.out` at a time. */
const CHUNK = 1 << 20;

/**
 * Writes `value` as `JSON.stringify(value, null, 2)` would, followed by a newline. Arrays directly
 * under a top-level object are streamed item by item; anything else is stringified whole.
 */
export function writeJson(io: Io, value: unknown): void {
  writeBlocks(io, jsonBlocks(value));
}

/** Writes blocks of whole lines (each without its final newline) as `io.out(blocks.join('\n'))` would. */
export function writeBlocks(io: Io, blocks: Iterable<string>): void {
  let pending: string[] = [];
  let size = 0;
  // Every block is whole lines: io.out ends each call with a newline.
  const emit = (block: string) => {
    pending.push(block);
    size += block.length;
    if (size >= CHUNK) flush();
  };
  const flush = () => {
    if (pending.length === 0) return;
    io.out(pending.join('\n'));
    pending = [];
    size = 0;
  };
  for (const block of blocks) emit(block);
  flush();
}

/** The lines of `JSON.stringify(value, null, 2)` in blocks of whole lines (no trailing newline). */
export function* jsonBlocks(value: unknown): Generator<string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    yield JSON.stringify(value, null, 2);
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol');
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  let head = '{';
  for (const [i, [key, v]] of entries.entries()) {
    const comma = i < entries.length - 1 ? ',' : '';
    const name = `  ${JSON.stringify(key)}: `;
    if (!Array.isArray(v) || v.length === 0) {
      head += `\n${name}${indented(v, '  ')}${comma}`;
      continue;
    }
    yield `${head}\n${name}[`;
    head = '';
    for (let j = 0; j < v.length; j++) yield `    ${indented(v[j], '    ')}${j < v.length - 1 ? ',' : ''}`;
    head = `  ]${comma}`;
  }
  yield `${head}${head ? '\n' : ''}}`;
}

/** `JSON.stringify(item, null, 2)` with its lines after the first indented by `indent` (JSON strings hold no raw newline). */
function indented(item: unknown, indent: string): string {
  const text = JSON.stringify(item, null, 2) as string | undefined;
  // An array item JSON cannot express is null, as JSON.stringify writes it.
  if (text === undefined) return 'null';
  return text.includes('\n') ? text.replace(/\n/g, `\n${indent}`) : text;
}
