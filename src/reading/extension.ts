/**
 * Product settings: the root-level `x-meshform` extension of a spec, and the same keys in a mesh
 * file (`meshform.yaml`). Each key is checked where it is written; `resolveSettings` then picks
 * every key's value by precedence (docs/spec-reference.md, "Mesh file").
 */
import { type Diagnostic, type SourceLocation, error } from '../vocabulary/diagnostics';
import { type Dialect, DIALECTS, type DomainType, type Layer, LAYERS, type SettingKey } from '../vocabulary/mesh';
import { CODES } from '../vocabulary/codes';
import { didYouMean, nearest, quoted } from '../suggest';
import type { JsonPath } from './source';

export interface ProductMeta {
  owners: string[];
  domainType: DomainType;
  storage: { bigquery: { layers: Layer[]; location?: string } };
  kafkaStreams: boolean;
  dialect: Dialect;
}

/** The settings one place (x-meshform, a mesh-file entry) writes; only valid values are kept. */
export type SettingFields = Partial<ProductMeta>;

export const SETTING_KEYS: readonly SettingKey[] = ['owners', 'domainType', 'storage', 'kafkaStreams', 'dialect'];

const DOMAIN_TYPES: readonly DomainType[] = ['source-aligned', 'aggregate', 'consumer-aligned'];
const MEMBER_PREFIXES = ['user', 'group', 'serviceAccount', 'domain'] as const;
/** BigQuery locations: multi-regions (`EU`, `US`) and regions (`europe-west1`). */
const LOCATION = /^([A-Z]{2}|[a-z]+-[a-z]+\d+)$/;

/** Where the node at a path is written; with `key`, where its key is. */
type Locate = (path: JsonPath, options?: { key?: boolean }) => SourceLocation;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** IAM's "everyone" members, lowercased: owning a product would let the world impersonate its service account. */
const PUBLIC_MEMBERS = ['allusers', 'allauthenticatedusers'];

/** `allUsers` / `allAuthenticatedUsers`, bare or behind any prefix (`user:allUsers`). */
export function isPublicMember(entry: string): boolean {
  return PUBLIC_MEMBERS.includes(entry.slice(entry.indexOf(':') + 1).trim().toLowerCase());
}

/**
 * The formats IAM documents for members (`user:`, `group:`, `serviceAccount:` + an email address,
 * `domain:` + a domain), checked with ajv-formats' `email` (RFC 5322 dot-atom local part) and
 * `hostname` (RFC 1123 labels): no quoted local parts, spaces, angle brackets or markup.
 */
const { email: EMAIL_FORMAT, hostname: HOSTNAME_FORMAT } = (require('ajv-formats/dist/formats') as { fullFormats: Record<'email' | 'hostname', RegExp> }).fullFormats;

/** An email address as IAM takes it: at most 254 characters, a local part of at most 64, a domain of two labels or more. */
export function isEmailAddress(text: string): boolean {
  const at = text.lastIndexOf('@');
  return text.length <= 254 && at > 0 && at <= 64 && EMAIL_FORMAT.test(text) && isDomainName(text.slice(at + 1));
}

/** A domain name of two labels or more (`acme.com`), each letters, digits and inner hyphens, at most 63 long. */
export function isDomainName(text: string): boolean {
  return text.includes('.') && !text.endsWith('.') && HOSTNAME_FORMAT.test(text);
}

/** An IAM member from an owner entry: a bare email means `user:`. */
export function ownerMember(entry: string): string | undefined {
  if (isEmailAddress(entry)) return `user:${entry}`;
  const colon = entry.indexOf(':');
  const prefix = entry.slice(0, colon);
  const rest = entry.slice(colon + 1);
  if (!(MEMBER_PREFIXES as readonly string[]).includes(prefix)) return undefined;
  return (prefix === 'domain' ? isDomainName(rest) : isEmailAddress(rest)) ? entry : undefined;
}

/** Unknown keys of a map, each an error with a did-you-mean. */
export function unknownKeys(value: Record<string, unknown>, known: readonly string[], at: JsonPath, locate: Locate, code: string, where: string): Diagnostic[] {
  return Object.keys(value)
    .filter((k) => !known.includes(k))
    .map((k) => error(code, `unknown key "${k}" in ${where}${didYouMean(k, known, quoted)} (known: ${known.join(', ')})`, locate([...at, k], { key: true })));
}

/** The owners list at `at`: normalised IAM members, or the problems with its entries. */
export function readOwners(value: unknown, at: JsonPath, locate: Locate, code: string, where: string): { owners?: string[]; diagnostics: Diagnostic[] } {
  if (!Array.isArray(value) || value.length === 0) {
    return { diagnostics: [error(code, `${where} must be a non-empty list of IAM members`, locate(at))] };
  }
  const diagnostics: Diagnostic[] = [];
  const owners: string[] = [];
  value.forEach((entry: unknown, i) => {
    const member = typeof entry === 'string' ? ownerMember(entry) : undefined;
    if (typeof entry === 'string' && isPublicMember(entry)) {
      diagnostics.push(error(CODES.ownerPublic, `owner "${entry}" is everyone: owners may impersonate the product's service account, so owners must be named users, groups, service accounts or domains`, locate([...at, i])));
    } else if (!member) {
      diagnostics.push(error(CODES.ownerInvalid, `owner ${JSON.stringify(entry)} is not an IAM member: an email address (name@domain.tld; no spaces, quotes, brackets or < > in the name), user:/group:/serviceAccount:<email> or domain:<domain>`, locate([...at, i])));
    } else if (!owners.includes(member)) {
      owners.push(member);
    }
  });
  return diagnostics.length ? { diagnostics } : { owners, diagnostics };
}

/**
 * The settings written in one map (`x-meshform`, or a mesh file's `defaults` / `products.<id>`):
 * each key checked, valid ones kept. Nothing is required here; `resolveSettings` decides what is missing.
 *
 * @param where how messages name the map, e.g. `x-meshform` or `meshform.yaml defaults`
 * @param code the code for a bad value or an unknown key in that map
 */
export function readSettingFields(value: unknown, at: JsonPath, locate: Locate, where: string, code: string): { fields: SettingFields; diagnostics: Diagnostic[] } {
  const fields: SettingFields = {};
  if (!isRecord(value)) return { fields, diagnostics: [error(code, `${where} must be a map`, locate(at))] };
  const diagnostics = unknownKeys(value, SETTING_KEYS, at, locate, code, where);

  if (value.owners !== undefined) {
    const read = readOwners(value.owners, [...at, 'owners'], locate, code, `${where}.owners`);
    diagnostics.push(...read.diagnostics);
    if (read.owners) fields.owners = read.owners;
  }
  if (value.domainType !== undefined) {
    if (DOMAIN_TYPES.includes(value.domainType as DomainType)) fields.domainType = value.domainType as DomainType;
    else diagnostics.push(error(code, `${where}.domainType must be one of ${DOMAIN_TYPES.join(', ')}`, locate([...at, 'domainType'])));
  }
  if (value.kafkaStreams !== undefined) {
    if (typeof value.kafkaStreams === 'boolean') fields.kafkaStreams = value.kafkaStreams;
    else diagnostics.push(error(code, `${where}.kafkaStreams must be true or false`, locate([...at, 'kafkaStreams'])));
  }
  if (value.dialect !== undefined) {
    if (DIALECTS.includes(value.dialect as Dialect)) fields.dialect = value.dialect as Dialect;
    else diagnostics.push(error(code, `${where}.dialect must be one of ${DIALECTS.join(', ')}`, locate([...at, 'dialect'])));
  }
  if (value.storage !== undefined) {
    const storage = readStorage(value.storage, [...at, 'storage'], locate, `${where}.storage`, code);
    diagnostics.push(...storage.diagnostics);
    if (storage.storage) fields.storage = storage.storage;
  }
  return { fields, diagnostics };
}

/** What is wrong with `layers`, at the first item that is not a layer or repeats one (else at the list). */
function layersProblem(list: unknown, at: JsonPath, locate: Locate, where: string, code: string): Diagnostic {
  const base = `${where} must be a non-empty list without repeats of ${LAYERS.join(', ')}`;
  const items: unknown[] = Array.isArray(list) ? list : [];
  const bad = items.findIndex((l, i) => !LAYERS.includes(l as Layer) || items.indexOf(l) !== i);
  if (bad < 0) return error(code, base, locate([...at, 'layers']));
  const item = items[bad];
  const near = typeof item === 'string' ? nearest(item, LAYERS) : undefined;
  const why = items.indexOf(item) !== bad ? 'is repeated' : `is not a layer${near ? ` (did you mean ${near}?)` : ''}`;
  return error(code, `${base}; ${JSON.stringify(item)} ${why}`, locate([...at, 'layers', bad]));
}

function readStorage(storage: unknown, at: JsonPath, locate: Locate, where: string, code: string): { storage?: ProductMeta['storage']; diagnostics: Diagnostic[] } {
  if (!isRecord(storage)) return { diagnostics: [error(code, `${where} must be a map`, locate(at))] };
  const diagnostics = unknownKeys(storage, ['bigquery'], at, locate, code, where);
  let layers: Layer[] = [...LAYERS];
  let location: string | undefined;
  const bq = storage.bigquery;
  const bqAt = [...at, 'bigquery'];
  if (bq !== undefined && !isRecord(bq)) diagnostics.push(error(code, `${where}.bigquery must be a map`, locate(bqAt)));
  if (isRecord(bq)) {
    diagnostics.push(...unknownKeys(bq, ['layers', 'location'], bqAt, locate, code, `${where}.bigquery`));
    if (bq.layers !== undefined) {
      const list = bq.layers;
      const valid = Array.isArray(list) && list.length > 0 && list.every((l) => LAYERS.includes(l as Layer)) && new Set(list).size === list.length;
      if (valid) layers = LAYERS.filter((l) => list.includes(l));
      else diagnostics.push(layersProblem(list, bqAt, locate, `${where}.bigquery.layers`, code));
    }
    if (bq.location !== undefined) {
      if (typeof bq.location === 'string' && LOCATION.test(bq.location)) location = bq.location;
      else diagnostics.push(error(code, `${where}.bigquery.location must be a BigQuery location such as EU, US or europe-west1`, locate([...bqAt, 'location'])));
    }
  }
  if (diagnostics.length > 0) return { diagnostics };
  return { storage: { bigquery: location ? { layers, location } : { layers } }, diagnostics };
}

/** One place settings come from, most specific first in `resolveSettings`. */
export interface SettingSource {
  fields: SettingFields;
  /** Shown in `validate --json`: `x-meshform`, or `specs/meshform.yaml:4:3`. */
  from: string;
}

export const BUILT_IN: Omit<ProductMeta, 'owners'> = {
  domainType: 'source-aligned',
  storage: { bigquery: { layers: [...LAYERS] } },
  kafkaStreams: false,
  dialect: 'asyncapi',
};

/**
 * Every setting from the first source that has it (the spec's x-meshform, then the mesh file's
 * entries, most specific first), else the built-in default. Owners have no default.
 */
export function resolveSettings(sources: readonly SettingSource[]): { settings: Omit<ProductMeta, 'owners'> & { owners?: string[] }; from: Record<SettingKey, string> } {
  const from = {} as Record<SettingKey, string>;
  const pick = <K extends SettingKey>(key: K): ProductMeta[K] | undefined => {
    const source = sources.find((s) => s.fields[key] !== undefined);
    from[key] = source?.from ?? 'default';
    return source?.fields[key] as ProductMeta[K] | undefined;
  };
  const settings = {
    owners: pick('owners'),
    domainType: pick('domainType') ?? BUILT_IN.domainType,
    storage: pick('storage') ?? BUILT_IN.storage,
    kafkaStreams: pick('kafkaStreams') ?? BUILT_IN.kafkaStreams,
    dialect: pick('dialect') ?? BUILT_IN.dialect,
  };
  return { settings, from };
}
