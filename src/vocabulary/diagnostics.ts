/**
 * Problems found in user input are values, collected across every file and reported together.
 * Nothing in the spec -> model -> plan flow throws for a user mistake.
 */
import { compareText } from '../compare';

export type Severity = 'error' | 'warning';

/** A place in a file; line and col are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export interface Diagnostic {
  /** Stable, documented identifier, e.g. `MF-TOPIC-NAME` or `asyncapi-schema`. */
  code: string;
  severity: Severity;
  message: string;
  /** Absent only for problems that belong to no file (e.g. an empty spec folder). */
  location?: SourceLocation;
  /** A governance rule's finding (built-in or from a ruleset): the rule (also its code) and the product it is about. */
  rule?: string;
  product?: string;
}

export function error(code: string, message: string, location?: SourceLocation): Diagnostic {
  return { code, severity: 'error', message, location };
}

export function warning(code: string, message: string, location?: SourceLocation): Diagnostic {
  return { code, severity: 'warning', message, location };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `path:line:col: error CODE: message`, the format editors and CI annotators understand. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${d.location.file}:${d.location.line}:${d.location.col}: ` : '';
  return `${where}${d.severity} ${d.code}: ${d.message}`;
}

/** Stable order: by file, line, column, then code. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    return (
      compareText(a.location?.file ?? '', b.location?.file ?? '') ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      (a.location?.col ?? 0) - (b.location?.col ?? 0) ||
      compareText(a.code, b.code)
    );
  });
}
