/**
 * The mesh: per-file product facts resolved against each other. Owners of fully qualified
 * topics, grants, lineage (who consumes what) and the mesh-wide rules live here.
 */
import { compareText } from '../compare';
import { type Diagnostic, error, warning } from '../diagnostics';
import { CODES } from '../spec/codes';
import { nearest } from '../suggest';
import type { ChannelFact, ProductSpec } from '../spec/product-spec';
import { collisionKey, visibilityUnder } from '../spec/topic-names';
import type { Consumption, Mesh, Product, Topic } from './types';

function byKey<T>(key: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => compareText(key(a), key(b));
}

/**
 * The product whose id prefixes the topic at a segment boundary; the longest such id wins.
 * Tries the topic's own prefixes, longest first: a lookup per segment, whatever the mesh size.
 */
function ownerByPrefix(topic: string, ids: ReadonlyMap<string, unknown>): string | undefined {
  for (let end = topic.lastIndexOf('.'); end > 0; end = topic.lastIndexOf('.', end - 1)) {
    const candidate = topic.slice(0, end);
    if (ids.has(candidate)) return candidate;
  }
  return undefined;
}

export function buildMesh(specs: readonly ProductSpec[]): { mesh: Mesh; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];

  const unique = new Map<string, ProductSpec>();
  for (const spec of [...specs].sort(byKey((s) => s.product.file))) {
    const first = unique.get(spec.product.id);
    if (first) {
      diagnostics.push(error(CODES.idDuplicate, `product ${spec.product.urn} is already declared in ${first.product.file}`, spec.idLocation));
    } else {
      unique.set(spec.product.id, spec);
    }
  }

  const products = new Map<string, Product>();
  const topics = new Map<string, Topic>();
  const pending: Array<{ consumer: string; channel: ChannelFact }> = [];

  for (const [id, spec] of unique) {
    const product: Product = { ...spec.product, topics: [], consumes: [] };
    products.set(id, product);
    for (const channel of spec.channels) {
      const owner = channel.relative ? id : ownerByPrefix(channel.topic, unique);
      if (owner !== id) {
        if (channel.sends) {
          const whose = owner ? `it belongs to ${owner}` : 'no product in the mesh owns it';
          diagnostics.push(error(CODES.sendNotOwned, `${id} sends to ${channel.topic} but ${whose}; a product only sends to its own topics (${id}._public|_protected|_private.*)`, channel.sendLocation ?? channel.location));
        }
        if (channel.receives) pending.push({ consumer: id, channel });
        continue;
      }
      const visibility = channel.visibility ?? visibilityUnder(channel.topic, id);
      if (!visibility) {
        diagnostics.push(error(CODES.topicVisibility, `topic ${channel.topic} must be under ${id}._public, ._protected or ._private`, channel.location));
        continue;
      }
      if (topics.has(channel.topic)) {
        diagnostics.push(error(CODES.topicDuplicate, `topic ${channel.topic} is declared twice in this spec`, channel.location));
        continue;
      }
      const topic: Topic = {
        name: channel.topic,
        owner: id,
        visibility,
        partitions: channel.partitions,
        replicas: channel.replicas,
        config: channel.config,
        grants: [],
        description: channel.description,
        sends: channel.sends,
        receives: channel.receives,
        location: channel.location,
      };
      if (topic.partitions === undefined) delete topic.partitions;
      if (topic.replicas === undefined) delete topic.replicas;
      if (topic.description === undefined) delete topic.description;
      for (const grant of channel.grants) {
        if (grant.grantee === id) continue;
        if (visibility === 'public') {
          diagnostics.push(warning(CODES.grantPublic, `grant to ${grant.granteeUrn} has no effect: ${topic.name} is public, every product may read it`, grant.location));
          continue;
        }
        if (visibility === 'private') {
          diagnostics.push(error(CODES.grantPrivate, `grant to ${grant.granteeUrn} on private topic ${topic.name}: private topics are owner-only; make it _protected to share it`, grant.location));
          continue;
        }
        if (!unique.has(grant.grantee)) {
          const near = nearest(grant.grantee, unique.keys());
          const hint = near ? ` (did you mean urn:${near.replace(/\./g, ':')}?)` : '';
          diagnostics.push(warning(CODES.grantUnknownProduct, `grant to ${grant.granteeUrn}: no spec in the mesh has that id${hint}`, grant.location));
        }
        topic.grants.push({ grantee: grant.grantee, granteeUrn: grant.granteeUrn, location: grant.location });
      }
      topics.set(topic.name, topic);
      product.topics.push(topic);
    }
  }

  for (const { consumer, channel } of pending) {
    const declared = topics.get(channel.topic);
    const location = channel.receiveLocation ?? channel.location;
    const consumption: Consumption = { consumer, topic: channel.topic, location };
    if (!declared) {
      const owner = ownerByPrefix(channel.topic, unique);
      const why = owner ? `${owner} does not declare it` : 'no spec in the mesh declares it';
      const near = nearest(channel.topic, owner ? (products.get(owner)?.topics ?? []).map((t) => t.name) : topics.keys());
      diagnostics.push(warning(CODES.consumeUndeclared, `${consumer} receives from ${channel.topic} but ${why}${near ? ` (did you mean ${near}?)` : ''}`, location));
    } else {
      consumption.owner = declared.owner;
      if (declared.visibility === 'private') {
        diagnostics.push(error(CODES.consumePrivate, `${consumer} receives from ${declared.name}, a private topic of ${declared.owner}`, location));
      } else if (declared.visibility === 'protected' && !declared.grants.some((g) => g.grantee === consumer)) {
        diagnostics.push(error(CODES.consumeNoGrant, `${consumer} receives from protected topic ${declared.name} without a grant; ${declared.owner} must tag it grant-access:urn:${consumer.replace(/\./g, ':')}`, location));
      }
    }
    products.get(consumer)?.consumes.push(consumption);
  }

  const byCollision = new Map<string, Topic[]>();
  for (const topic of topics.values()) {
    const key = collisionKey(topic.name);
    byCollision.set(key, [...(byCollision.get(key) ?? []), topic]);
  }
  for (const group of byCollision.values()) {
    if (group.length < 2) continue;
    const [first, ...others] = group.sort(byKey((t) => t.name));
    for (const t of others) {
      diagnostics.push(error(CODES.topicCollision, `topic ${t.name} differs from ${first.name} only by "." vs "_"; Kafka metric names would collide`, t.location));
    }
  }

  const sorted = [...products.values()].sort(byKey((p) => p.id));
  for (const p of sorted) {
    p.topics.sort(byKey((t) => t.name));
    p.consumes.sort(byKey((c) => c.topic));
  }
  return { mesh: { products: sorted }, diagnostics };
}
