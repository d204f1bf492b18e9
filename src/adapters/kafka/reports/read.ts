/** Reading a report file back (the catalog shows them): the JSON `meshform kafka storage|consumption --json` wrote. */
import { CONSUMPTION_REPORT, STORAGE_REPORT, type ConsumptionReport, type StorageReport } from './types';

export type ParsedReport<T> = { report: T } | { problem: string };

export function parseStorageReport(text: string): ParsedReport<StorageReport> {
  return parseReport<StorageReport>(text, STORAGE_REPORT, 'meshform kafka storage --json');
}

export function parseConsumptionReport(text: string): ParsedReport<ConsumptionReport> {
  return parseReport<ConsumptionReport>(text, CONSUMPTION_REPORT, 'meshform kafka consumption --json');
}

function parseReport<T>(text: string, kind: string, producer: string): ParsedReport<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { problem: `not JSON (${(e as Error).message}); expected the output of ${producer}` };
  }
  const report = value as { report?: unknown; products?: unknown; notes?: unknown };
  if (typeof value !== 'object' || value === null || report.report !== kind) {
    const found = typeof report?.report === 'string' ? ` (it is a ${report.report} report)` : '';
    return { problem: `not a ${kind} report${found}; expected the output of ${producer}` };
  }
  if (!Array.isArray(report.products) || !Array.isArray(report.notes)) return { problem: `a ${kind} report without products or notes; expected the output of ${producer}` };
  return { report: value as T };
}
