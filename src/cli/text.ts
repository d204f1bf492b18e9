/** Plain-text layout for human output: lines that fit a width, wrapped at spaces with a hanging indent. */

/** What human output is laid out for: a wide terminal, and what a CI log shows without scrolling. */
export const WIDTH = 120;

/**
 * `text` broken at spaces into lines of at most `width` columns; continuation lines start with
 * `indent`. A single word longer than the room is left whole on its own line.
 */
export function wrap(text: string, indent: string, width = WIDTH): string[] {
  const lead = /^ */.exec(text)![0];
  const lines: string[] = [];
  let line = lead;
  let empty = true;
  for (const word of text.slice(lead.length).split(' ')) {
    const candidate = empty ? line + word : `${line} ${word}`;
    if (candidate.length <= width || empty) {
      line = candidate;
      empty = false;
      continue;
    }
    lines.push(line);
    line = indent + word;
  }
  lines.push(line);
  return lines;
}

/**
 * `label item, item, ...`, wrapped between items with continuation lines aligned under the first
 * one (or at `indent`). With `maxLines`, items that do not fit are counted instead: `... and 12 more`.
 */
export function list(label: string, items: readonly string[], options: { maxLines?: number; width?: number; indent?: string; separator?: string } = {}): string[] {
  const { maxLines = Infinity, width = WIDTH, indent = ' '.repeat(label.length), separator = ',' } = options;
  const lines: string[] = [];
  let line = label;
  let empty = true;
  for (const [i, item] of items.entries()) {
    const text = i < items.length - 1 ? `${item}${separator}` : item;
    const lastLine = lines.length + 1 >= maxLines;
    // On the last line allowed, keep room for the count of what is left out.
    const room = width - (lastLine && i < items.length - 1 ? ` ... and ${items.length - i} more`.length : 0);
    if (!empty && line.length + 1 + text.length > room) {
      if (lastLine) {
        lines.push(`${line} ... and ${items.length - i} more`);
        return lines;
      }
      lines.push(line);
      line = indent;
      empty = true;
    }
    line = empty ? line + text : `${line} ${text}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** `3 topics`, `1 topic`. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
