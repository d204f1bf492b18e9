/**
 * What a folder already holds (`meshform import` adds to a mesh there): each spec's product id,
 * the principals it adopted and the topics it declares or receives from, read from the files
 * themselves, so an estate imported by another tool before (whose owners may still be missing)
 * joins it: the same principal is the same product.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isRecord } from '../reading/extension';
import { isMeshFileName } from '../reading/mesh-file';
import { parseSource } from '../reading/source';
import { domainIdOf, isProductUrn } from '../reading/urn';

export interface ExistingProduct {
  id: string;
  /** Absolute path of its spec. */
  file: string;
  principals: Set<string>;
  /** Topics it adopted or declares by a channel it sends to. */
  owned: Set<string>;
  /** Every channel address (topics it owns or receives from). */
  addresses: Set<string>;
  groups: Set<string>;
  transactionalIds: Set<string>;
}

export interface ExistingMesh {
  products: ExistingProduct[];
  /** meshform.yaml's owners keys (ids and id prefixes that have owners). */
  ownerKeys: Set<string>;
  meshFile?: string;
}

function specFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name.startsWith('.') || e.name === 'node_modules' ? [] : specFiles(full);
    return /\.(ya?ml|json)$/.test(e.name) ? [full] : [];
  });
}

const names = (v: unknown) => (Array.isArray(v) ? v.map((x) => (isRecord(x) ? x.principal ?? x.name : x)).filter((x): x is string => typeof x === 'string') : []);

export function readExisting(dir: string): ExistingMesh {
  const out: ExistingMesh = { products: [], ownerKeys: new Set() };
  for (const file of specFiles(dir)) {
    const source = parseSource(file, file, fs.readFileSync(file, 'utf8'));
    const doc = source.value;
    if (!isRecord(doc)) continue;
    if (isMeshFileName(file)) {
      if (path.dirname(file) === path.resolve(dir)) out.meshFile = file;
      for (const key of Object.keys(isRecord(doc.owners) ? doc.owners : {})) out.ownerKeys.add(key.startsWith('urn:') ? domainIdOf(key) : key);
      for (const [key, entry] of Object.entries(isRecord(doc.products) ? doc.products : {})) if (isRecord(entry) && entry.owners) out.ownerKeys.add(key);
      continue;
    }
    if (typeof doc.id !== 'string' || !isProductUrn(doc.id) || typeof doc.asyncapi !== 'string') continue;
    const meta = isRecord(doc['x-meshform']) ? doc['x-meshform'] : {};
    const adopt = isRecord(meta.adopt) ? meta.adopt : {};
    const addresses = new Set<string>();
    for (const [key, channel] of Object.entries(isRecord(doc.channels) ? doc.channels : {})) {
      const address = isRecord(channel) && typeof channel.address === 'string' ? channel.address : doc.asyncapi.startsWith('2.') ? key : undefined;
      if (address) addresses.add(address);
    }
    if (meta.owners) out.ownerKeys.add(domainIdOf(doc.id));
    out.products.push({
      id: domainIdOf(doc.id),
      file,
      principals: new Set(names(adopt.principals)),
      owned: new Set(Object.keys(isRecord(adopt.topics) ? adopt.topics : {})),
      addresses,
      groups: new Set(names(adopt.groups)),
      transactionalIds: new Set(names(adopt.transactionalIds)),
    });
  }
  return out;
}
