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

/** Array items stringified together: a few hundred at a time is one JSON.stringify call, not hundreds. */
const ITEMS_PER_BLOCK = 256;

/**
 * Items to be written as the items of an array under a top-level key, handed over a group at a
 * time (a product's resources, say) so the whole array need never exist at once. `jsonBlocks`
 * writes it as it writes an array of all the groups' items.
 */
export class StreamedItems {
  constructor(readonly groups: Iterable<readonly unknown[]>) {}
}

/**
 * The lines of `JSON.stringify(value, null, 2)` in blocks of whole lines (no trailing newline).
 * Arrays (or StreamedItems) directly under a top-level object are written a group of items at a
 * time; anything else is stringified whole.
 */
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
    const groups = v instanceof StreamedItems ? v.groups : Array.isArray(v) && v.length > 0 ? slices(v, ITEMS_PER_BLOCK) : undefined;
    if (!groups) {
      head += `\n${name}${indented(v)}${comma}`;
      continue;
    }
    // A group's items are written once the next non-empty group shows whether a comma follows them.
    let held: string | undefined;
    for (const group of groups) {
      if (group.length === 0) continue;
      if (held === undefined) {
        yield `${head}\n${name}[`;
        head = '';
      } else yield `${held},`;
      held = arrayItems(group);
    }
    if (held === undefined) head += `\n${name}[]${comma}`;
    else {
      yield held;
      head = `  ]${comma}`;
    }
  }
  yield `${head}${head ? '\n' : ''}}`;
}

function* slices<T>(items: readonly T[], size: number): Generator<readonly T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** As JSON.stringify(wrapper, null, 2) lays out an array under a top-level key: its first line and its last two. */
const ITEMS_HEAD = '{\n  "items": [\n';
const ITEMS_TAIL = '\n  ]\n}';

/**
 * The lines `JSON.stringify(value, null, 2)` gives `items` as an array under a top-level key (each
 * item indented by four, separated by `,` and a newline), in one JSON.stringify call: the items laid
 * out inside a wrapper object, its first and last lines cut off.
 */
function arrayItems(items: readonly unknown[]): string {
  const text = JSON.stringify({ items }, null, 2);
  return text.slice(ITEMS_HEAD.length, text.length - ITEMS_TAIL.length);
}

/** `JSON.stringify(value, null, 2)` as the value of a top-level key: its lines after the first indented by two (JSON strings hold no raw newline). */
function indented(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  return text.includes('\n') ? text.replace(/\n/g, '\n  ') : text;
}
