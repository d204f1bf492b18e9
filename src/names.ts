/**
 * The one naming module: every generated cloud, Kubernetes and plan name comes from here.
 *
 * Names are deterministic, human readable and within each target's limits. A product id in its
 * plain form (dot-separated words of lowercase letters and digits, `acme.retail.orders`) maps to a
 * name by swapping the dot for the target's separator. Anything else (a `-` or `_` the target
 * would merge with the dot, upper case, odd characters, too long) gets the normalised name plus a
 * double separator and a short hash of the full input. Plain names never contain a double
 * separator, so a hashed name can never equal a plain one, and two hashed names differ by hash.
 */
import { createHash } from 'node:crypto';
import { LAYERS, type GcpSettings, type Layer, type NameTemplate } from './vocabulary/mesh';

/** 8 base-36 characters, ~41 bits: collisions need the same readable part and the same hash. */
const HASH_LENGTH = 8;

/** Dot-separated words of lowercase letters and digits: the form that maps without loss. */
const PLAIN_ID = /^[a-z0-9]+(\.[a-z0-9]+)*$/;

export function shortHash(input: string): string {
  const digest = createHash('sha256').update(input, 'utf8').digest();
  return BigInt('0x' + digest.subarray(0, 8).toString('hex'))
    .toString(36)
    .padStart(HASH_LENGTH, '0')
    .slice(-HASH_LENGTH);
}

interface NameRule {
  /** Joins words; also replaces every character the target does not allow. */
  separator: '-' | '_';
  /** Characters that may stay as they are in a plain input (besides lowercase letters and digits). */
  plain: RegExp;
  /** Characters the target allows; others are replaced by the separator. */
  allowed: RegExp;
  maxLength: number;
  /** Fixed text before and after the readable part, e.g. `mf-` and `_raw`. */
  prefix?: string;
  suffix?: string;
  /** Shortest valid name, counted with prefix and suffix. */
  minLength?: number;
}

function makeName(input: string, rule: NameRule): string {
  const { separator, prefix = '', suffix = '', maxLength, minLength = 1 } = rule;
  const plainName = prefix + input.split('.').join(separator) + suffix;
  if (rule.plain.test(input) && plainName.length <= maxLength && plainName.length >= minLength) {
    return plainName;
  }
  const marker = separator + separator;
  const room = maxLength - prefix.length - suffix.length - marker.length - HASH_LENGTH;
  const normalised = collapse(input.toLowerCase().replace(rule.allowed, separator), separator)
    .slice(0, Math.max(room, 0));
  const readable = trimSeparators(normalised, separator) || 'x';
  return prefix + readable + suffix + marker + shortHash(input);
}

function collapse(text: string, separator: string): string {
  return text.replace(separator === '-' ? /-+/g : /_+/g, separator);
}

function trimSeparators(text: string, separator: string): string {
  return separator === '-' ? text.replace(/^-+|-+$/g, '') : text.replace(/^_+|_+$/g, '');
}

/** BigQuery dataset id: `[A-Za-z0-9_]`, at most 1024; `acme.retail.orders` + raw -> `acme_retail_orders_raw`. */
export function datasetId(productId: string, layer: Layer): string {
  return makeName(productId, {
    separator: '_',
    plain: PLAIN_ID,
    allowed: /[^a-z0-9]/g,
    maxLength: 1024,
    suffix: '_' + layer,
  });
}

/**
 * GCP service account id: 6-30 characters, `^[a-z]([-a-z0-9]*[a-z0-9])$`.
 * The `mf-` prefix makes it start with a letter and marks accounts meshform manages.
 */
export function serviceAccountId(productId: string): string {
  return makeName(productId, {
    separator: '-',
    plain: PLAIN_ID,
    allowed: /[^a-z0-9]/g,
    maxLength: 30,
    minLength: 6,
    prefix: 'mf-',
  });
}

export function serviceAccountEmail(productId: string, project: string): string {
  return accountEmail(serviceAccountId(productId), project);
}

/** A service account's email address from its id: `<accountId>@<project>.iam.gserviceaccount.com`. */
export function accountEmail(accountId: string, project: string): string {
  return `${accountId}@${project}.iam.gserviceaccount.com`;
}

/** The GCP resources naming templates name (`gcp.names` in x-meshform or a mesh file). */
export type GcpNameTarget = 'dataset' | 'serviceAccount';

/** Placeholders of a naming template; `layer` only in dataset names. */
export const NAME_PLACEHOLDERS: Readonly<Record<GcpNameTarget, readonly string[]>> = {
  dataset: ['id', 'domain', 'name', 'layer', 'env'],
  serviceAccount: ['id', 'domain', 'name', 'env'],
};

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** What is wrong with a template's placeholders (an unknown one, a brace left open), or undefined. */
export function templatePlaceholderProblem(template: string, target: GcpNameTarget): string | undefined {
  const known = NAME_PLACEHOLDERS[target];
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (!known.includes(match[1])) {
      const layerHint = match[1] === 'layer' ? ' ({layer} is for dataset names: an account is one per product)' : '';
      return `has the placeholder {${match[1]}}, which is not one of ${known.map((k) => `{${k}}`).join(', ')}${layerHint}`;
    }
  }
  if (/[{}]/.test(template.replace(PLACEHOLDER, ''))) return 'has a { or } that is not part of a placeholder such as {name}';
  return undefined;
}

/** Whether a template's result depends on the stack (`{env}`): checked when a stack is known. */
export function usesEnvironment(template: string): boolean {
  return template.includes('{env}');
}

/** The values a template's placeholders stand for. */
export interface NameValues {
  id: string;
  domain: string;
  layer?: Layer;
  /** The stack's environment (`meshform:environment`); absent when no stack is known. */
  env?: string;
}

/**
 * A template with its placeholders filled: `{id}`, `{domain}` (the id without its last segment),
 * `{name}` (the last segment), `{layer}`, `{env}`. Inside a value, the characters the target does
 * not allow between words become its separator (`acme.retail-eu` is `acme_retail_eu` in a dataset
 * id, `acme-retail-eu` in an account id); the template's own text stays as written.
 */
export function fillTemplate(template: string, target: GcpNameTarget, values: NameValues): string {
  const between = target === 'dataset' ? /[.-]/g : /[._]/g;
  const separator = target === 'dataset' ? '_' : '-';
  return template.replace(PLACEHOLDER, (whole, key: string) => {
    const value = placeholderValue(key, values);
    return value === undefined ? whole : value.replace(between, separator);
  });
}

function placeholderValue(key: string, values: NameValues): string | undefined {
  switch (key) {
    case 'id':
      return values.id;
    case 'domain':
      return values.domain;
    case 'name':
      return values.id.slice(values.id.lastIndexOf('.') + 1);
    case 'layer':
      return values.layer;
    case 'env':
      return values.env;
    default:
      return undefined;
  }
}

/** What is wrong with a BigQuery dataset id (letters, digits, underscores; 1-1024), or undefined. */
export function datasetIdProblem(id: string): string | undefined {
  if (id.length === 0 || id.length > 1024) return `is ${id.length} characters long; a dataset id is 1 to 1024`;
  if (!/^[A-Za-z0-9_]+$/.test(id)) return 'is not a dataset id: only letters, digits and underscores';
  return undefined;
}

/** What is wrong with a service account id (6-30 characters, `[a-z]([-a-z0-9]*[a-z0-9])`), or undefined. */
export function serviceAccountIdProblem(id: string): string | undefined {
  if (id.length < 6 || id.length > 30) return `is ${id.length} characters long; a service account id is 6 to 30`;
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])$/.test(id)) return 'is not a service account id: lowercase letters, digits and -, starting with a letter and ending with a letter or digit';
  return undefined;
}

/** One GCP name of a product: the id, the template that made it (absent: the default), whether it exists already. */
export interface GcpName {
  id: string;
  /** The template written for it (a naming template or an adopted id); absent for a default name. */
  template?: NameTemplate;
  /** The resource exists: Pulumi imports it (the plan says `import`). */
  adopted: boolean;
}

export interface ProductGcpNames {
  datasets: Record<Layer, GcpName>;
  serviceAccount: GcpName;
}

/** The product fields GCP names depend on. */
export interface GcpNamed {
  id: string;
  businessDomain: string;
  gcp?: GcpSettings;
}

/**
 * A product's dataset ids (every layer) and service account id: an adopted resource's id as the
 * adoption writes it, else the naming template's result, else the default (`datasetId`,
 * `serviceAccountId`). `environment` fills `{env}`; without it, a name using `{env}` keeps the
 * placeholder (only the model's stack-free checks ask for that).
 */
export function gcpNames(product: GcpNamed, environment?: string): ProductGcpNames {
  const gcp = product.gcp ?? {};
  const values: NameValues = { id: product.id, domain: product.businessDomain, env: environment };
  // The default is made only when nothing is written (makeName is the costly part for a large mesh).
  const named = (target: GcpNameTarget, fallback: () => string, template: NameTemplate | undefined, adopted: { id?: NameTemplate } | undefined, layer?: Layer): GcpName => {
    const written = adopted?.id ?? template;
    if (!written) return { id: fallback(), adopted: adopted !== undefined };
    return { id: fillTemplate(written.template, target, layer ? { ...values, layer } : values), template: written, adopted: adopted !== undefined };
  };
  const datasets = {} as Record<Layer, GcpName>;
  for (const layer of LAYERS) {
    datasets[layer] = named('dataset', () => datasetId(product.id, layer), gcp.datasetNames?.[layer], gcp.adopt?.datasets[layer], layer);
  }
  return { datasets, serviceAccount: named('serviceAccount', () => serviceAccountId(product.id), gcp.serviceAccountName, gcp.adopt?.serviceAccount) };
}

/** Pulumi import ids, in the formats @pulumi/gcp documents for `gcp.bigquery.Dataset` and `gcp.serviceaccount.Account`. */
export function datasetImportId(project: string, id: string): string {
  return `projects/${project}/datasets/${id}`;
}

export function accountImportId(project: string, accountId: string): string {
  return `projects/${project}/serviceAccounts/${accountEmail(accountId, project)}`;
}

/** Kubernetes object name valid as an RFC 1123 label (and so as a subdomain): `[a-z0-9-]`, at most 63. */
export function k8sName(productId: string): string {
  return makeName(productId, {
    separator: '-',
    plain: PLAIN_ID,
    allowed: /[^a-z0-9]/g,
    maxLength: 63,
  });
}

/** Backstage's rule for entity names: runs of [a-z0-9A-Z] joined by single `-`, `_` or `.`, at most 63. */
const BACKSTAGE_PLAIN = /^[a-z0-9]+([-_.][a-z0-9]+)*$/;

/**
 * Backstage entity name. Product ids and domains are already valid names and stay as they are
 * (`acme.retail.orders`); anything else (upper case, doubled or edge separators, other characters,
 * over 63) is normalised and shortened, then gets `-` and a short hash of the full input. Backstage
 * forbids the doubled separator the other targets use as a marker, so a single one does.
 */
export function backstageName(input: string): string {
  if (BACKSTAGE_PLAIN.test(input) && input.length <= 63) return input;
  const room = 63 - 1 - HASH_LENGTH;
  const readable = input
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '-')
    .replace(/[-_.]{2,}/g, (run) => run[0])
    .replace(/^[-_.]+/, '')
    .slice(0, room)
    .replace(/[-_.]+$/, '');
  return `${readable || 'x'}-${shortHash(input)}`;
}

/**
 * GCP label value: `[a-z0-9_-]`, at most 63. Dots become `_`, so `-` may stay:
 * `acme.retail.order-events` -> `acme_retail_order-events`, `source-aligned` unchanged.
 */
export function labelValue(value: string): string {
  if (value === '') return '';
  return makeName(value, {
    separator: '_',
    plain: /^[a-z0-9]+([.-][a-z0-9]+)*$/,
    allowed: /[^a-z0-9-]/g,
    maxLength: 63,
  });
}

/**
 * Plan and Pulumi resource name: the parts joined by `/`. Inside a part, `%`, `/`, a `:` next to
 * another `:` (Pulumi URNs use `::`) and characters outside a safe set are %-encoded, so distinct
 * part lists always give distinct names and the name stays readable:
 * `resourceName('acl', 'User:acme.retail.orders', 'TOPIC')` -> `acl/User:acme.retail.orders/TOPIC`.
 */
export function resourceName(...parts: string[]): string {
  return parts.map(encodePart).join('/');
}

const SAFE_PART = /^[A-Za-z0-9._*=@+,:-]*$/;

function encodePart(part: string): string {
  if (SAFE_PART.test(part) && !part.includes('::')) return part;
  // By code point, so characters outside the BMP encode as themselves, not as lone surrogates.
  const chars = Array.from(part);
  return chars
    .map((ch, i) => {
      const doubleColon = ch === ':' && (chars[i - 1] === ':' || chars[i + 1] === ':');
      return /^[A-Za-z0-9._*=@+,-]$/.test(ch) || (ch === ':' && !doubleColon) ? ch : percentEncode(ch);
    })
    .join('');
}

function percentEncode(ch: string): string {
  return Array.from(Buffer.from(ch, 'utf8'), (b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

/**
 * An id segment from another tool's name (a JulieOps project, a kafka-gitops service, a principal):
 * lowercase, every run of characters a product id cannot hold (`.` included) as one `-`, no leading
 * `-` or `_` (a leading `_` is reserved); `x` when nothing is left. `User:Orders.Svc` -> `user-orders-svc`.
 */
export function idSegment(name: string): string {
  const segment = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/-{2,}/g, '-').replace(/^[-_]+|-+$/g, '');
  return segment || 'x';
}
