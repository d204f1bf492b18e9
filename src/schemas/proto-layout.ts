/**
 * Where things are written in a `.proto` text: fields, enum values, imports and the syntax line,
 * each with its line and columns. protobufjs's errors name a field by message and name or a line
 * only (`no such Type or Enum 'int' in Type .A`, `illegal token '}' (line 4)`); this light
 * tokenizer gives the diagnostic its place. It reads only what protobufjs already parsed or
 * refused, so it never decides validity itself.
 */

export interface Token {
  text: string;
  line: number;
  col: number;
  kind: 'word' | 'number' | 'string' | 'symbol';
}

export interface ProtoField {
  /** Full name of the message without the leading dot: `acme.Order.Line`. */
  message: string;
  label?: string;
  type: string;
  name: string;
  number: number;
  type_: Token;
  name_: Token;
  number_: Token;
}

export interface ProtoEnumValue {
  enumName: string;
  name: string;
  number: number;
  name_: Token;
  number_: Token;
}

export interface ProtoLayout {
  tokens: Token[];
  syntax?: Token;
  package?: string;
  imports: Array<{ name: string; at: Token }>;
  fields: ProtoField[];
  enumValues: ProtoEnumValue[];
  /** Message and enum names (short), for "did you mean". */
  typeNames: string[];
}

/** Comments blanked (line and column positions kept), then words, numbers, strings and symbols. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let col = 1;
  let i = 0;
  const advance = (n: number) => {
    for (let k = 0; k < n; k++, i++) {
      if (text[i] === '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      advance((end < 0 ? text.length : end) - i);
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      advance((end < 0 ? text.length : end + 2) - i);
    } else if (/\s/.test(c)) {
      advance(1);
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      tokens.push({ text: text.slice(i, j + 1), line, col, kind: 'string' });
      advance(j + 1 - i);
    } else {
      const word = /^[A-Za-z_.][A-Za-z0-9_.]*/.exec(text.slice(i, i + 256));
      const number = /^-?(0[xX][0-9a-fA-F]+|[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?)/.exec(text.slice(i, i + 64));
      const taken = number && /[0-9-]/.test(c) ? { text: number[0], kind: 'number' as const } : word ? { text: word[0], kind: 'word' as const } : { text: c, kind: 'symbol' as const };
      tokens.push({ ...taken, line, col });
      advance(taken.text.length);
    }
  }
  return tokens;
}

const LABELS = ['optional', 'required', 'repeated'];
const NOT_FIELDS = ['option', 'reserved', 'extensions', 'message', 'enum', 'oneof', 'extend', 'service', 'rpc', 'syntax', 'package', 'import', 'edition'];

export function protoLayout(text: string): ProtoLayout {
  const tokens = tokenize(text);
  const layout: ProtoLayout = { tokens, imports: [], fields: [], enumValues: [], typeNames: [] };
  /** Open blocks: a message or enum by full name, or anything else (service, option aggregate). */
  const scopes: Array<{ kind: 'message' | 'enum' | 'oneof' | 'other'; name: string }> = [];
  let statement: Token[] = [];
  const current = () => {
    for (let k = scopes.length - 1; k >= 0; k--) if (scopes[k].kind !== 'oneof') return scopes[k];
    return undefined;
  };
  const qualified = (name: string) => {
    const outer = current();
    const prefix = outer?.kind === 'message' ? outer.name : layout.package ?? '';
    return prefix ? `${prefix}.${name}` : name;
  };
  for (const token of tokens) {
    if (token.text === '{') {
      const [first, second] = statement;
      if ((first?.text === 'message' || first?.text === 'enum') && second) {
        layout.typeNames.push(second.text);
        scopes.push({ kind: first.text, name: qualified(second.text) });
      } else if (first?.text === 'oneof') {
        scopes.push({ kind: 'oneof', name: second?.text ?? '' });
      } else {
        scopes.push({ kind: 'other', name: '' });
      }
      statement = [];
    } else if (token.text === '}') {
      if (statement.length > 0) read(statement);
      scopes.pop();
      statement = [];
    } else if (token.text === ';') {
      read(statement);
      statement = [];
    } else {
      statement.push(token);
    }
  }
  return layout;

  function read(words: Token[]): void {
    const [first] = words;
    if (!first) return;
    if (scopes.length === 0) {
      if (first.text === 'syntax' || first.text === 'edition') layout.syntax = words.find((w) => w.kind === 'string');
      else if (first.text === 'package' && words[1]) layout.package = words[1].text;
      else if (first.text === 'import') {
        const name = words.find((w) => w.kind === 'string');
        if (name) layout.imports.push({ name: name.text.slice(1, -1), at: name });
      }
      return;
    }
    const scope = scopes[scopes.length - 1];
    const owner = current();
    if (scope.kind === 'enum' && words[1]?.text === '=') {
      const number = words[2];
      if (number?.kind === 'number') layout.enumValues.push({ enumName: scope.name, name: first.text, number: Number(number.text), name_: first, number_: number });
      return;
    }
    if ((scope.kind !== 'message' && scope.kind !== 'oneof') || owner?.kind !== 'message' || NOT_FIELDS.includes(first.text)) return;
    let k = 0;
    const label = LABELS.includes(words[0].text) ? words[k++].text : undefined;
    const typeToken = words[k];
    if (!typeToken) return;
    let type = typeToken.text;
    if (type === 'map' && words[k + 1]?.text === '<') {
      const close = words.findIndex((w, j) => j > k && w.text === '>');
      if (close < 0) return;
      type = words.slice(k, close + 1).map((w) => w.text).join('');
      k = close + 1;
    } else {
      k++;
    }
    const [name, equals, number] = [words[k], words[k + 1], words[k + 2]];
    if (!name || equals?.text !== '=' || number?.kind !== 'number') return;
    layout.fields.push({ message: owner.name, label, type, name: name.text, number: Number(number.text), type_: typeToken, name_: name, number_: number });
  }
}
