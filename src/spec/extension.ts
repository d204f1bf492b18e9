/** The root-level `x-meshform` extension: product owners, domain type and BigQuery storage. */
import { type Diagnostic, type SourceLocation, error } from '../diagnostics';
import { type DomainType, type Layer, LAYERS } from '../model/types';
import { nearest } from '../suggest';
import { CODES } from './codes';
import type { JsonPath } from './source';

export interface ProductMeta {
  owners: string[];
  domainType: DomainType;
  storage: { bigquery: { layers: Layer[]; location?: string } };
}

const DOMAIN_TYPES: readonly DomainType[] = ['source-aligned', 'aggregate', 'consumer-aligned'];
const MEMBER_PREFIXES = ['user', 'group', 'serviceAccount', 'domain'] as const;
const EMAIL = /^[^@\s:]+@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+$/;
const DOMAIN = /^[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+$/;
/** BigQuery locations: multi-regions (`EU`, `US`) and regions (`europe-west1`). */
const LOCATION = /^([A-Z]{2}|[a-z]+-[a-z]+\d+)$/;

type Locate = (path: JsonPath, options?: { key?: boolean }) => SourceLocation;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** IAM's "everyone" members, lowercased: owning a product would let the world impersonate its service account. */
const PUBLIC_MEMBERS = ['allusers', 'allauthenticatedusers'];

/** `allUsers` / `allAuthenticatedUsers`, bare or behind any prefix (`user:allUsers`). */
export function isPublicMember(entry: string): boolean {
  return PUBLIC_MEMBERS.includes(entry.slice(entry.indexOf(':') + 1).trim().toLowerCase());
}

/** An IAM member from an owner entry: a bare email means `user:`. */
export function ownerMember(entry: string): string | undefined {
  if (EMAIL.test(entry)) return `user:${entry}`;
  const colon = entry.indexOf(':');
  const prefix = entry.slice(0, colon);
  const rest = entry.slice(colon + 1);
  if (!(MEMBER_PREFIXES as readonly string[]).includes(prefix)) return undefined;
  return (prefix === 'domain' ? DOMAIN : EMAIL).test(rest) ? entry : undefined;
}

function unknownKeys(value: Record<string, unknown>, known: string[], at: JsonPath, locate: Locate): Diagnostic[] {
  const where = at.join('.');
  return Object.keys(value)
    .filter((k) => !known.includes(k))
    .map((k) => {
      const near = nearest(k, known);
      const hint = near ? `did you mean "${near}"?` : `known: ${known.join(', ')}`;
      return error(CODES.metaInvalid, `unknown key "${k}" in ${where} (${hint})`, locate([...at, k], { key: true }));
    });
}

/** What is wrong with `layers`, at the first item that is not a layer or repeats one (else at the list). */
function layersProblem(list: unknown, at: JsonPath, locate: Locate): Diagnostic {
  const base = `x-meshform.storage.bigquery.layers must be a non-empty list without repeats of ${LAYERS.join(', ')}`;
  const items: unknown[] = Array.isArray(list) ? list : [];
  const bad = items.findIndex((l, i) => !LAYERS.includes(l as Layer) || items.indexOf(l) !== i);
  if (bad < 0) return error(CODES.metaInvalid, base, locate([...at, 'layers']));
  const item = items[bad];
  const near = typeof item === 'string' ? nearest(item, LAYERS) : undefined;
  const why = items.indexOf(item) !== bad ? 'is repeated' : `is not a layer${near ? ` (did you mean ${near}?)` : ''}`;
  return error(CODES.metaInvalid, `${base}; ${JSON.stringify(item)} ${why}`, locate([...at, 'layers', bad]));
}

export function readProductMeta(value: unknown, locate: Locate): { meta?: ProductMeta; diagnostics: Diagnostic[] } {
  const base = ['x-meshform'];
  if (value === undefined) {
    return { diagnostics: [error(CODES.metaMissing, 'x-meshform is required at the root: at least `owners: [user:someone@example.com]`', locate([]))] };
  }
  if (!isRecord(value)) return { diagnostics: [error(CODES.metaInvalid, 'x-meshform must be an object', locate(base))] };
  const diagnostics = unknownKeys(value, ['owners', 'domainType', 'storage'], base, locate);

  const owners: string[] = [];
  if (value.owners === undefined) {
    // A near miss (`owner:`) is already reported with the key it meant.
    if (!Object.keys(value).some((k) => nearest(k, ['owners']))) {
      diagnostics.push(error(CODES.metaInvalid, 'x-meshform.owners is required: a non-empty list of IAM members', locate(base, { key: true })));
    }
  } else if (!Array.isArray(value.owners) || value.owners.length === 0) {
    diagnostics.push(error(CODES.metaInvalid, 'x-meshform.owners must be a non-empty list of IAM members', locate([...base, 'owners'])));
  } else {
    value.owners.forEach((entry: unknown, i) => {
      const member = typeof entry === 'string' ? ownerMember(entry) : undefined;
      if (typeof entry === 'string' && isPublicMember(entry)) {
        diagnostics.push(error(CODES.ownerPublic, `owner "${entry}" is everyone: owners may impersonate the product's service account, so owners must be named users, groups, service accounts or domains`, locate([...base, 'owners', i])));
      } else if (!member) {
        diagnostics.push(error(CODES.ownerInvalid, `owner ${JSON.stringify(entry)} is not an email or user:/group:/serviceAccount:<email> or domain:<domain>`, locate([...base, 'owners', i])));
      } else if (!owners.includes(member)) {
        owners.push(member);
      }
    });
  }

  let domainType: DomainType = 'source-aligned';
  if (value.domainType !== undefined) {
    if (DOMAIN_TYPES.includes(value.domainType as DomainType)) domainType = value.domainType as DomainType;
    else diagnostics.push(error(CODES.metaInvalid, `x-meshform.domainType must be one of ${DOMAIN_TYPES.join(', ')}`, locate([...base, 'domainType'])));
  }

  let layers: Layer[] = [...LAYERS];
  let location: string | undefined;
  if (value.storage !== undefined) {
    const storage = value.storage;
    if (!isRecord(storage)) {
      diagnostics.push(error(CODES.metaInvalid, 'x-meshform.storage must be an object', locate([...base, 'storage'])));
    } else {
      diagnostics.push(...unknownKeys(storage, ['bigquery'], [...base, 'storage'], locate));
      const bq = storage.bigquery;
      const at = [...base, 'storage', 'bigquery'];
      if (bq !== undefined && !isRecord(bq)) diagnostics.push(error(CODES.metaInvalid, 'x-meshform.storage.bigquery must be an object', locate(at)));
      if (isRecord(bq)) {
        diagnostics.push(...unknownKeys(bq, ['layers', 'location'], at, locate));
        if (bq.layers !== undefined) {
          const list = bq.layers;
          const valid = Array.isArray(list) && list.length > 0 && list.every((l) => LAYERS.includes(l as Layer)) && new Set(list).size === list.length;
          if (valid) layers = LAYERS.filter((l) => list.includes(l));
          else diagnostics.push(layersProblem(list, at, locate));
        }
        if (bq.location !== undefined) {
          if (typeof bq.location === 'string' && LOCATION.test(bq.location)) location = bq.location;
          else diagnostics.push(error(CODES.metaInvalid, 'x-meshform.storage.bigquery.location must be a BigQuery location such as EU, US or europe-west1', locate([...at, 'location'])));
        }
      }
    }
  }
  if (diagnostics.length > 0) return { diagnostics };
  return { meta: { owners, domainType, storage: { bigquery: location ? { layers, location } : { layers } } }, diagnostics };
}
