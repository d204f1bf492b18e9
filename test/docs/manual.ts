/**
 * The manual as data: README.md and docs/*.md read with markdown-it (so a `[x](y)` inside code is
 * not a link and a fence inside a list is still a fence), their runnable commands, files, links
 * and headings. What the docs tests check lives in the tests; this only reads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import GithubSlugger from 'github-slugger';
import MarkdownIt from 'markdown-it';

type Token = MarkdownIt.Token;

export const REPO = path.resolve(__dirname, '../..');

/** README.md and every page of docs/, as paths relative to the repository. */
export function manualPages(): string[] {
  const docs = fs
    .readdirSync(path.join(REPO, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

/** A step of a page, in page order: write a file, run a command, or a command that is not run. */
export type Step =
  | { kind: 'file'; page: string; line: number; path: string; content: string }
  | { kind: 'command'; page: string; line: number; command: string; exit: number }
  | { kind: 'not-runnable'; page: string; line: number; command: string; reason: string };

/** A fence's directive, the HTML comment right before it. */
type Directive = { exit: number } | { skip: string } | { file: string };

const DIRECTIVE = /^<!--\s*docs-test:\s*(.*?)\s*-->\s*$/;

export function parseDirective(text: string): Directive | undefined {
  const m = DIRECTIVE.exec(text.trim());
  if (!m) return undefined;
  const body = m[1];
  let d: RegExpExecArray | null;
  if ((d = /^exit (\d+)$/.exec(body))) return { exit: Number(d[1]) };
  if ((d = /^skip (\S.*)$/.exec(body))) return { skip: d[1] };
  if ((d = /^file (\S+)$/.exec(body))) return { file: d[1] };
  throw new Error(`unknown docs-test directive "${body}" (exit <n> | skip <reason> | file <path>)`);
}

const markdown = new MarkdownIt({ html: true });

export function tokensOf(page: string): Token[] {
  return markdown.parse(fs.readFileSync(path.join(REPO, page), 'utf8'), {});
}

/** The commands of a page's fenced `sh` blocks (lines starting with `meshform `), and its `file` blocks. */
export function stepsOf(page: string): Step[] {
  const tokens = tokensOf(page);
  const steps: Step[] = [];
  tokens.forEach((token, i) => {
    if (token.type !== 'fence') return;
    const previous = tokens[i - 1];
    const directive = previous?.type === 'html_block' ? parseDirective(previous.content) : undefined;
    const line = (token.map?.[0] ?? 0) + 1;
    if (directive && 'file' in directive) {
      steps.push({ kind: 'file', page, line, path: directive.file, content: token.content });
      return;
    }
    if (token.info.trim() !== 'sh') return;
    for (const { command, offset } of commandLines(token.content)) {
      const at = line + 1 + offset;
      if (directive && 'skip' in directive) steps.push({ kind: 'not-runnable', page, line: at, command, reason: directive.skip });
      else steps.push({ kind: 'command', page, line: at, command, exit: directive && 'exit' in directive ? directive.exit : 0 });
    }
  });
  return steps;
}

/** Lines starting with `meshform `, with `\` continuations joined; offset = line within the fence. */
function commandLines(content: string): Array<{ command: string; offset: number }> {
  const lines = content.split('\n');
  const out: Array<{ command: string; offset: number }> = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('meshform ')) continue;
    const start = i;
    let command = lines[i];
    while (command.endsWith('\\') && i + 1 < lines.length) command = `${command.slice(0, -1)} ${lines[++i].trim()}`;
    out.push({ command, offset: start });
  }
  return out;
}

/** The GitHub anchors of a Markdown file's headings (`#anchor` in a link). */
export function anchorsOf(file: string): Set<string> {
  const slugger = new GithubSlugger();
  const tokens = markdown.parse(fs.readFileSync(file, 'utf8'), {});
  const anchors = new Set<string>();
  tokens.forEach((token, i) => {
    if (token.type === 'heading_open') anchors.add(slugger.slug(plainText(tokens[i + 1])));
  });
  return anchors;
}

/** A heading's text as GitHub renders it before slugging: code spans keep their text, markup goes. */
function plainText(inline: Token): string {
  return (inline.children ?? []).map((t) => (t.type === 'text' || t.type === 'code_inline' ? t.content : '')).join('');
}

export interface Link {
  page: string;
  line: number;
  href: string;
}

/** Every link of a page (inline links and HTML-free Markdown only), with its line. */
export function linksOf(page: string): Link[] {
  const links: Link[] = [];
  for (const token of tokensOf(page)) {
    if (token.type !== 'inline') continue;
    for (const child of token.children ?? []) {
      const href = child.type === 'link_open' ? child.attrGet('href') : null;
      if (href !== null) links.push({ page, line: (token.map?.[0] ?? 0) + 1, href });
    }
  }
  return links;
}
