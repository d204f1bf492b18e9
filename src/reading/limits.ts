/**
 * What one file may cost the reader. Specs arrive in pull requests from many teams and are read
 * by CI: a file past a limit is one located `MF-LIMIT-*` error, never a hang, a crash or an
 * exhausted machine. The defaults sit far above real specs; a mesh file's `limits:` may raise
 * them, up to ceilings the reader itself is safe at (docs/spec-reference.md, "Limits").
 */
export interface ReaderLimits {
  /** Bytes in one file (a spec, a mesh file, a referenced file). */
  maxFileBytes: number;
  /** Maps and lists nested in one another, in a file and in a spec with its `$ref`s resolved. */
  maxDepth: number;
  /** Map keys in one file, with YAML aliases expanded. */
  maxKeys: number;
  /** YAML aliases (`*name`) written in one file. */
  maxAliases: number;
  /** Values that YAML aliases add to one file when expanded (the "billion laughs" guard). */
  maxAliasExpansion: number;
  /** Values in a spec with its `$ref`s resolved, a shared definition counted at every use (the same guard for `$ref`s). */
  maxResolvedValues: number;
}

export type LimitName = keyof ReaderLimits;

export const LIMIT_NAMES: readonly LimitName[] = ['maxFileBytes', 'maxDepth', 'maxKeys', 'maxAliases', 'maxAliasExpansion', 'maxResolvedValues'];

export const DEFAULT_LIMITS: Readonly<ReaderLimits> = Object.freeze({
  maxFileBytes: 16 * 1024 * 1024,
  maxDepth: 128,
  maxKeys: 250_000,
  maxAliases: 1_000,
  maxAliasExpansion: 100_000,
  maxResolvedValues: 5_000_000,
});

/**
 * The most a mesh file may set. The YAML parser recurses once per nesting level (about 1,900
 * levels fit Node's default stack), and so do the AsyncAPI validators: 1,000 keeps a margin.
 */
export const LIMIT_CEILINGS: Readonly<ReaderLimits> = Object.freeze({
  maxFileBytes: 256 * 1024 * 1024,
  maxDepth: 1_000,
  maxKeys: 5_000_000,
  maxAliases: 100_000,
  maxAliasExpansion: 5_000_000,
  maxResolvedValues: 50_000_000,
});

/** What each limit counts, in the words diagnostics use. */
export const LIMIT_WORDS: Readonly<Record<LimitName, string>> = Object.freeze({
  maxFileBytes: 'bytes',
  maxDepth: 'levels of nesting',
  maxKeys: 'map keys',
  maxAliases: 'YAML aliases',
  maxAliasExpansion: 'values added by expanding YAML aliases',
  maxResolvedValues: 'values with $refs resolved',
});
