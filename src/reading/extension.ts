/**
 * Product settings: the root-level `x-meshform` extension of a spec, and the same keys in a mesh
 * file (`meshform.yaml`). Each key is checked where it is written; `resolveSettings` then picks
 * every key's value by precedence (docs/spec-reference.md, "Mesh file").
 */
import { type Diagnostic, type SourceLocation, error } from '../vocabulary/diagnostics';
import { type Adoption, type AdoptedPrincipal, type Dialect, DIALECTS, type DomainType, type GcpSettings, type Layer, LAYERS, QUOTA_KEYS, type QuotaKey, type Quotas, type SettingKey, type Visibility } from '../vocabulary/mesh';
import { adoptedTopicProblem, claimProblem } from '../vocabulary/topic-names';
import { CODES } from '../vocabulary/codes';
import { didYouMean, nearest, quoted } from '../suggest';
import type { JsonPath } from './source';
import { readGcp } from './gcp-settings';

export interface ProductMeta {
  owners: string[];
  domainType: DomainType;
  storage: { bigquery: { layers: Layer[]; location?: string } };
  kafkaStreams: boolean;
  dialect: Dialect;
  /** Names of an existing estate the product owns; absent when it adopts nothing. */
  adopt?: Adoption;
  /** Kafka client quotas, merged key by key across the places settings come from. */
  quotas: Quotas;
  /** GCP naming templates and adoption, merged part by part (names.dataset, names.serviceAccount, adopt); absent when none is set. */
  gcp?: GcpSettings;
}

/** The settings one place (x-meshform, a mesh-file entry) writes; only valid values are kept. */
export type SettingFields = Partial<ProductMeta>;

export const SETTING_KEYS: readonly SettingKey[] = ['owners', 'domainType', 'storage', 'kafkaStreams', 'dialect', 'quotas', 'adopt', 'gcp'];

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
  if (value.quotas !== undefined) {
    const read = readQuotas(value.quotas, [...at, 'quotas'], locate, `${where}.quotas`);
    diagnostics.push(...read.diagnostics);
    if (read.quotas) fields.quotas = read.quotas;
  }
  if (value.storage !== undefined) {
    const storage = readStorage(value.storage, [...at, 'storage'], locate, `${where}.storage`, code);
    diagnostics.push(...storage.diagnostics);
    if (storage.storage) fields.storage = storage.storage;
  }
  if (value.adopt !== undefined) {
    const adopt = readAdoption(value.adopt, [...at, 'adopt'], locate, `${where}.adopt`, code);
    diagnostics.push(...adopt.diagnostics);
    if (adopt.adopt) fields.adopt = adopt.adopt;
  }
  if (value.gcp !== undefined) {
    const gcp = readGcp(value.gcp, [...at, 'gcp'], locate, `${where}.gcp`, code, (v, known, path, w) => unknownKeys(v, known, path, locate, code, w));
    diagnostics.push(...gcp.diagnostics);
    if (gcp.gcp) fields.gcp = gcp.gcp;
  }
  return { fields, diagnostics };
}

const ADOPT_KEYS = ['topics', 'principals', 'groups', 'transactionalIds'];
const PRINCIPAL_KEYS = ['principal', 'sends', 'receives', 'groups', 'transactionalIds'];
const VISIBILITY_NAMES: readonly Visibility[] = ['public', 'protected', 'private'];
/** A Kafka principal: `<type>:<name>` (`User:orders-svc`, `User:CN=orders,OU=apps`). */
const PRINCIPAL = /^[A-Za-z][A-Za-z0-9_-]*:\S/;

/**
 * `adopt`: names of an existing estate the product owns (issue 20).
 *
 * ```yaml
 * adopt:
 *   topics: {orders-placed-v1: protected}      # name -> visibility
 *   principals:                                # the product's principals (instead of the stack's template)
 *     - User:orders-svc                        # every access the product has
 *     - {principal: User:orders-audit, receives: [orders-placed-v1], groups: [orders-audit]}   # only these
 *   groups: [orders-app, orders-batch-*]       # consumer groups; `x*` = every group starting x
 *   transactionalIds: [orders-tx]
 * ```
 */
function readAdoption(value: unknown, at: JsonPath, locate: Locate, where: string, code: string): { adopt?: Adoption; diagnostics: Diagnostic[] } {
  if (!isRecord(value)) return { diagnostics: [error(code, `${where} must be a map with ${ADOPT_KEYS.join(', ')}`, locate(at))] };
  const diagnostics = unknownKeys(value, ADOPT_KEYS, at, locate, code, where);
  const adopt: Adoption = { topics: [], principals: [], groups: [], transactionalIds: [] };

  if (value.topics !== undefined) {
    const tAt = [...at, 'topics'];
    if (!isRecord(value.topics)) diagnostics.push(error(code, `${where}.topics must be a map of topic name to visibility (public, protected or private)`, locate(tAt)));
    else {
      for (const [name, visibility] of Object.entries(value.topics)) {
        const problem = adoptedTopicProblem(name);
        if (problem) diagnostics.push(error(code, `${where}.topics: "${name}" ${problem.startsWith('topic') ? `cannot be adopted: ${problem}` : problem}`, locate([...tAt, name], { key: true })));
        else if (!VISIBILITY_NAMES.includes(visibility as Visibility)) {
          diagnostics.push(error(code, `${where}.topics.${name} must be public, protected or private${typeof visibility === 'string' ? didYouMean(visibility, VISIBILITY_NAMES, quoted) : ''}`, locate([...tAt, name])));
        } else adopt.topics.push({ name, visibility: visibility as Visibility, location: locate([...tAt, name], { key: true }) });
      }
    }
  }

  for (const key of ['groups', 'transactionalIds'] as const) {
    if (value[key] === undefined) continue;
    const read = readClaims(value[key], [...at, key], locate, `${where}.${key}`, code);
    diagnostics.push(...read.diagnostics);
    adopt[key] = read.claims.map(([name, location]) => ({ name, location }));
  }

  if (value.principals !== undefined) {
    const pAt = [...at, 'principals'];
    if (!Array.isArray(value.principals)) diagnostics.push(error(code, `${where}.principals must be a list of principals (User:<name>), each alone or as {principal, sends, receives, groups, transactionalIds}`, locate(pAt)));
    else {
      value.principals.forEach((entry: unknown, i) => {
        const read = readAdoptedPrincipal(entry, [...pAt, i], locate, `${where}.principals[${i}]`, code, adopt);
        diagnostics.push(...read.diagnostics);
        if (!read.principal) return;
        if (adopt.principals.some((p) => p.principal === read.principal!.principal)) {
          diagnostics.push(error(code, `${where}.principals lists ${read.principal.principal} twice`, locate([...pAt, i])));
        } else adopt.principals.push(read.principal);
      });
    }
  }
  return diagnostics.length ? { diagnostics } : { adopt, diagnostics };
}

/** A list of group or transactional-id claims (`x`, `x*`), with where each is written. */
function readClaims(value: unknown, at: JsonPath, locate: Locate, where: string, code: string): { claims: Array<[string, ReturnType<Locate>]>; diagnostics: Diagnostic[] } {
  if (!Array.isArray(value)) return { claims: [], diagnostics: [error(code, `${where} must be a list of names (a trailing * makes one a prefix: orders-*)`, locate(at))] };
  const diagnostics: Diagnostic[] = [];
  const claims: Array<[string, ReturnType<Locate>]> = [];
  value.forEach((item: unknown, i) => {
    const problem = typeof item === 'string' ? claimProblem(item) : 'is not a string';
    if (problem) diagnostics.push(error(code, `${where}: ${JSON.stringify(item)} ${problem}`, locate([...at, i])));
    else if (claims.some(([c]) => c === item)) diagnostics.push(error(code, `${where} lists "${String(item)}" twice`, locate([...at, i])));
    else claims.push([item as string, locate([...at, i])]);
  });
  return { claims, diagnostics };
}

function readAdoptedPrincipal(entry: unknown, at: JsonPath, locate: Locate, where: string, code: string, adopt: Adoption): { principal?: AdoptedPrincipal; diagnostics: Diagnostic[] } {
  const bad = (what: string, path: JsonPath = at) => ({ diagnostics: [error(code, `${where} ${what}`, locate(path))] });
  const check = (name: unknown, path: JsonPath): string | undefined => {
    if (typeof name !== 'string' || !PRINCIPAL.test(name)) return `must be a Kafka principal <type>:<name> (e.g. User:orders-svc), not ${JSON.stringify(name)}`;
    if (name.slice(name.indexOf(':') + 1) === '*') return `is ${name}, every principal: it cannot be one product's`;
    void path;
    return undefined;
  };
  if (typeof entry === 'string') {
    const problem = check(entry, at);
    return problem ? bad(problem) : { principal: { principal: entry, location: locate(at) }, diagnostics: [] };
  }
  if (!isRecord(entry)) return bad('must be a principal (User:<name>) or a map {principal, sends, receives, groups, transactionalIds}');
  const diagnostics = unknownKeys(entry, PRINCIPAL_KEYS, at, locate, code, where);
  const problem = check(entry.principal, [...at, 'principal']);
  if (problem) diagnostics.push(error(code, `${where}.principal ${problem}`, locate(entry.principal === undefined ? at : [...at, 'principal'])));
  const principal: AdoptedPrincipal = { principal: String(entry.principal), location: locate(at) };
  for (const key of ['sends', 'receives', 'groups', 'transactionalIds'] as const) {
    const list = entry[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
      diagnostics.push(error(code, `${where}.${key} must be a list of names`, locate([...at, key])));
      continue;
    }
    // Groups and transactional ids it may use must be ones the product adopts (topics are checked mesh-wide).
    if (key === 'groups' || key === 'transactionalIds') {
      const known = adopt[key].map((c) => c.name);
      (list as string[]).forEach((name, i) => {
        if (!known.includes(name)) diagnostics.push(error(code, `${where}.${key}: "${name}" is not in ${where.replace(/\.principals\[\d+\]$/, '')}.${key}${didYouMean(name, known, quoted)}`, locate([...at, key, i])));
      });
    }
    principal[key] = [...new Set(list as string[])];
  }
  return { principal, diagnostics };
}

/**
 * What each quota key means to Kafka, and the values that make sense: byte rates are whole bytes
 * per second (Kafka stores them as longs and refuses fractions), the request share is a percentage
 * of one broker thread's time. Zero would stop the product altogether: not a quota, a ban.
 */
const QUOTA_RULES: Record<QuotaKey, { check: (n: number) => boolean; expected: string }> = {
  producer_byte_rate: { check: (n) => Number.isSafeInteger(n) && n >= 1, expected: 'a whole number of bytes per second, at least 1 (e.g. 1048576 for 1 MiB/s)' },
  consumer_byte_rate: { check: (n) => Number.isSafeInteger(n) && n >= 1, expected: 'a whole number of bytes per second, at least 1 (e.g. 1048576 for 1 MiB/s)' },
  request_percentage: { check: (n) => n > 0 && n <= 100, expected: "a percentage of one broker thread's time, greater than 0 and at most 100" },
};

/** `quotas`: Kafka's own keys, each value checked where it is written. */
export function readQuotas(value: unknown, at: JsonPath, locate: Locate, where: string): { quotas?: Quotas; diagnostics: Diagnostic[] } {
  if (!isRecord(value)) return { diagnostics: [error(CODES.quotaInvalid, `${where} must be a map of ${QUOTA_KEYS.join(', ')}`, locate(at))] };
  const diagnostics = unknownKeys(value, QUOTA_KEYS, at, locate, CODES.quotaInvalid, where);
  const quotas: Quotas = {};
  for (const key of QUOTA_KEYS) {
    const v = value[key];
    if (v === undefined) continue;
    if (typeof v === 'number' && QUOTA_RULES[key].check(v)) quotas[key] = v;
    else diagnostics.push(error(CODES.quotaInvalid, `${where}.${key} is ${JSON.stringify(v)}: it must be ${QUOTA_RULES[key].expected}`, locate([...at, key])));
  }
  return diagnostics.length ? { diagnostics } : { quotas, diagnostics };
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

export const BUILT_IN: Omit<ProductMeta, 'owners' | 'adopt' | 'gcp'> = {
  domainType: 'source-aligned',
  storage: { bigquery: { layers: [...LAYERS] } },
  kafkaStreams: false,
  dialect: 'asyncapi',
  quotas: {},
};

/**
 * Every setting from the first source that has it (the spec's x-meshform, then the mesh file's
 * entries, most specific first), else the built-in default. Owners have no default. Quotas are
 * merged key by key: each quota from the first source that sets it (`quotasFrom` says which),
 * and `from.quotas` names the most specific source that set any.
 */
export function resolveSettings(sources: readonly SettingSource[]): {
  settings: Omit<ProductMeta, 'owners'> & { owners?: string[] };
  from: Record<Exclude<SettingKey, 'adopt' | 'gcp'>, string> & { adopt?: string; gcp?: string };
  quotasFrom: Partial<Record<QuotaKey, string>>;
} {
  const from = {} as Record<Exclude<SettingKey, 'adopt' | 'gcp'>, string> & { adopt?: string; gcp?: string };
  const pick = <K extends Exclude<SettingKey, 'gcp'>>(key: K): ProductMeta[K] | undefined => {
    const source = sources.find((s) => s.fields[key] !== undefined);
    // An adoption is shown only where there is one (most products adopt nothing).
    if (key !== 'adopt' || source) from[key] = source?.from ?? 'default';
    return source?.fields[key] as ProductMeta[K] | undefined;
  };
  const adopt = pick('adopt');
  const settings = {
    owners: pick('owners'),
    domainType: pick('domainType') ?? BUILT_IN.domainType,
    storage: pick('storage') ?? BUILT_IN.storage,
    kafkaStreams: pick('kafkaStreams') ?? BUILT_IN.kafkaStreams,
    dialect: pick('dialect') ?? BUILT_IN.dialect,
    ...(adopt && { adopt }),
    quotas: {} as Quotas,
  };
  const quotasFrom: Partial<Record<QuotaKey, string>> = {};
  for (const key of QUOTA_KEYS) {
    const source = sources.find((s) => s.fields.quotas?.[key] !== undefined);
    if (!source) continue;
    settings.quotas[key] = source.fields.quotas![key];
    quotasFrom[key] = source.from;
  }
  from.quotas = sources.find((s) => s.fields.quotas !== undefined && Object.keys(s.fields.quotas).length > 0)?.from ?? 'default';
  // GCP parts, each from the first source that sets it (a product's adopt beside the defaults' names);
  // dataset names layer by layer (a product's curated name beside the defaults' template for the others).
  const gcp: GcpSettings = {};
  for (const layer of LAYERS) {
    const template = sources.find((s) => s.fields.gcp?.datasetNames?.[layer] !== undefined)?.fields.gcp!.datasetNames![layer];
    if (template) gcp.datasetNames = { ...gcp.datasetNames, [layer]: template };
  }
  for (const part of ['serviceAccountName', 'adopt'] as const) {
    const source = sources.find((s) => s.fields.gcp?.[part] !== undefined);
    if (source) (gcp as Record<string, unknown>)[part] = source.fields.gcp![part];
  }
  if (Object.keys(gcp).length > 0) {
    Object.assign(settings, { gcp });
    from.gcp = sources.find((s) => s.fields.gcp !== undefined)!.from;
  }
  return { settings, from, quotasFrom };
}
