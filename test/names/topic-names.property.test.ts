/**
 * Properties of the one topic-name rule (src/vocabulary/topic-names.ts) over generated meshes whose
 * ids share prefixes the hard ways: `acme.user` beside `acme.userprops`, the nested
 * `acme.user.profile`, `acme.user-eu`, ids with `.`, `-` and `_`, SpecMesh names.
 *
 * Every expected value is computed here from the written definition (a brute-force scan over the
 * mesh's ids, a template string, the regular expressions the rule used to be written as, or
 * Kafka's authorizer modelled in test/plan/authorizer.ts), never by calling the module twice.
 *
 * Seeded and reproducible: FC_SEED=<n> replays a run (fast-check prints the seed and the shrunk
 * counterexample of a failure); FC_RUNS=<n> runs more cases.
 */
import fc from 'fast-check';
import { planMesh } from '../../src/plan';
import type { AclOperation, KafkaAcl, KafkaAclProps } from '../../src/plan/types';
import { OwnershipScope } from '../../src/adapters/kafka/engine/scope';
import type { Visibility } from '../../src/vocabulary/mesh';
import {
  NameIndex,
  hasVisibilitySegment,
  idInName,
  isPrivateTopic,
  namespaceCandidates,
  qualify,
  qualifyAddress,
  segmentOf,
  shortTopicName,
  specmeshTopic,
  visibilityFromTags,
  visibilityOfSegment,
  visibilityUnder,
} from '../../src/vocabulary/topic-names';
import { isAllowed } from '../plan/authorizer';
import { mesh, product, topic } from '../support/mesh';
import { stack } from '../support/stack';

const SEED = Number(process.env.FC_SEED ?? 18_2026);
const RUNS = Number(process.env.FC_RUNS ?? 150);
const params = { seed: SEED, numRuns: RUNS };

const VISIBILITIES: Visibility[] = ['public', 'protected', 'private'];

// ---------------------------------------------------------------------------------------------
// Generators

/**
 * Id segments from a small pool, so that generated meshes share prefixes often (`user` and
 * `userprops`, `user` and `user-eu`), plus free segments of the characters ids allow
 * (a-z 0-9 - _, never a leading `_`: reading/urn.ts reserves those).
 */
const segment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('acme', 'user', 'userprops', 'user-eu', 'user_x', 'profile', 'eu', 'a', 'a-', '-a', 'b_', 'u') },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9-][a-z0-9_-]{0,4}$/) },
);
const productId = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('.'));

/**
 * A mesh's ids: some free ids, and for each some relatives that share its prefix: nested
 * (`<id>.<seg>`), dashed (`<id>-<seg>`) and extended (`<id><seg>`, like acme.user -> acme.userprops).
 */
const meshIds = fc
  .tuple(
    fc.uniqueArray(productId, { minLength: 1, maxLength: 5 }),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('.', '-', ''), segment), { maxLength: 6 }),
  )
  .map(([base, relatives]) => {
    const ids = new Set(base);
    for (const [i, joint, seg] of relatives) {
      const parent = base[i % base.length];
      const child = joint === '' ? parent + seg.replace(/^[-]/, 'x') : parent + joint + seg;
      ids.add(child);
    }
    return [...ids].sort();
  });

const visibility = fc.constantFrom<Visibility>(...VISIBILITIES);
/** A topic's own name (after the visibility): any Kafka name characters, sometimes shaped like another product's. */
const localName = fc.oneof(
  fc.stringMatching(/^[a-zA-Z0-9._-]{1,10}$/),
  fc.constantFrom('x', 'order_placed', '_private.y', 'profile._public.z', 'user.x', 'a-b.c', '-'),
);

/** Names to ask about: qualified names of mesh products, of prefixes of them, and free strings over the same pieces. */
function nameFor(ids: readonly string[]): fc.Arbitrary<string> {
  const id = fc.constantFrom(...ids);
  return fc.oneof(
    fc.tuple(id, visibility, localName).map(([i, v, n]) => `${i}._${v}.${n}`),
    fc.tuple(id, fc.constantFrom('.', '-'), localName).map(([i, d, n]) => `${i}${d}${n}`),
    fc.tuple(id, fc.constantFrom('.', '-', '._', '._private', '._public.')).map(([i, d]) => `${i}${d}`),
    fc.array(fc.oneof(segment, fc.constantFrom('_public', '_protected', '_private', '_x')), { minLength: 1, maxLength: 5 }).map((s) => s.join('.')),
    fc.tuple(id, localName).map(([i, n]) => `${i.slice(0, Math.max(1, i.length - 1))}${n}`),
  );
}

const meshAndName = meshIds.chain((ids) => fc.tuple(fc.constant(ids), nameFor(ids)));

// ---------------------------------------------------------------------------------------------
// The definitions, written out by brute force over the ids

const longest = (ids: readonly string[]): string | undefined => [...ids].sort((a, b) => b.length - a.length)[0];

/** Claimant: the longest id that prefixes the name and is followed by `.`. */
const claimantByDefinition = (name: string, ids: readonly string[]) => longest(ids.filter((id) => name.startsWith(`${id}.`)));

/** Topic owner: the claimant, if the name continues with one of its visibility segments and a `.`. */
function topicOwnerByDefinition(name: string, ids: readonly string[]): string | undefined {
  const id = claimantByDefinition(name, ids);
  return id !== undefined && VISIBILITIES.some((v) => name.startsWith(`${id}._${v}.`)) ? id : undefined;
}

/** Group / transactional id owner: the longest id followed by `.` or `-`. */
const clientOwnerByDefinition = (name: string, ids: readonly string[]) =>
  longest(ids.filter((id) => name.startsWith(`${id}.`) || name.startsWith(`${id}-`)));

/** The reconcile scope's namespace: `<id>.`, `<id>-`, or anything under `<id>._`. */
const resourceOwnerByDefinition = (name: string, ids: readonly string[]) =>
  longest(ids.filter((id) => name === `${id}.` || name === `${id}-` || name.startsWith(`${id}._`)));

// ---------------------------------------------------------------------------------------------

describe('topic names: properties over generated ids (seed ' + SEED + ')', () => {
  test('the owner of qualify(id, v, n) is id, at visibility v, whatever the other ids of the mesh', () => {
    fc.assert(
      fc.property(meshIds.chain((ids) => fc.tuple(fc.constant(ids), fc.constantFrom(...ids), visibility, localName)), ([ids, id, v, n]) => {
        const name = `${id}._${v}.${n}`;
        const index = new NameIndex(ids);
        expect(qualify(id, v, n)).toBe(name);
        expect(index.ownerOfTopic(name)).toBe(id);
        expect(index.claimantOf(name)).toBe(id);
        expect(index.ownerOfResource(name)).toBe(id);
        expect(visibilityUnder(name, id)).toBe(v);
        expect(shortTopicName(name, id)).toBe(n);
        expect(idInName(name)).toBe(id);
        expect(namespaceCandidates(name)).toContain(id);
      }),
      params,
    );
  });

  test('owners of any name are the longest id the definition allows (topic, claim, group, scope), and ancestors are the ids whose client prefix starts an id', () => {
    fc.assert(
      fc.property(meshAndName, ([ids, name]) => {
        const index = new NameIndex(ids);
        expect(index.claimantOf(name)).toBe(claimantByDefinition(name, ids));
        expect(index.ownerOfTopic(name)).toBe(topicOwnerByDefinition(name, ids));
        expect(index.ownerOfClient(name)).toBe(clientOwnerByDefinition(name, ids));
        expect(index.ownerOfResource(name)).toBe(resourceOwnerByDefinition(name, ids));
        const owner = resourceOwnerByDefinition(name, ids);
        if (owner !== undefined) expect(namespaceCandidates(name)).toContain(owner);
        for (const id of ids) {
          const expected = ids.filter((a) => id.startsWith(`${a}.`) || id.startsWith(`${a}-`)).sort((a, b) => a.length - b.length);
          expect(index.ancestorsOf(id)).toEqual(expected);
        }
      }),
      params,
    );
  });

  test('reading a name agrees with the regular expressions the rule used to be written as', () => {
    fc.assert(
      fc.property(meshAndName, ([ids, name]) => {
        expect(isPrivateTopic(name)).toBe(/(^|\.)_private(\.|$)/.test(name));
        expect(hasVisibilitySegment(name)).toBe(/(^|\.)_(public|protected|private)\./.test(name));
        expect(idInName(name)).toBe(/^(.+?)\._(public|protected|private)\./.exec(name)?.[1]);
        for (const owner of [undefined, ...ids]) {
          const rest = owner && name.startsWith(owner + '.') ? name.slice(owner.length + 1) : name;
          expect(shortTopicName(name, owner)).toBe(rest.replace(/^_(public|protected|private)\./, ''));
        }
      }),
      params,
    );
  });

  test('visibility round-trips: segment, relative address (with . or /), visibility under the owner', () => {
    fc.assert(
      fc.property(productId, visibility, localName, (id, v, n) => {
        expect(segmentOf(v)).toBe(`_${v}`);
        expect(visibilityOfSegment(`_${v}`)).toBe(v);
        const expected = { topic: `${id}._${v}.${n}`, relative: true, visibility: v };
        expect(qualifyAddress(`_${v}.${n}`, id)).toEqual(expected);
        expect(qualifyAddress(`_${v}/${n.replace(/\./g, '/')}`, id)).toEqual(expected);
        expect(visibilityUnder(qualifyAddress(`_${v}.${n}`, id).topic, id)).toBe(v);
      }),
      params,
    );
    // Names that only look like a segment are none: no inherited object keys, no other spelling.
    for (const s of ['constructor', 'toString', '__proto__', 'hasOwnProperty', '_Public', 'public', '_public.']) expect(visibilityOfSegment(s)).toBeUndefined();
    expect(qualifyAddress('constructor.x', 'acme.a')).toEqual({ topic: 'constructor.x', relative: false });
  });

  test('SpecMesh names: a produced channel is relative to the id, its owner the longest id prefixing it; tag-only visibility from the tags', () => {
    const specmeshName = fc.array(fc.oneof(segment, fc.constantFrom('_public', '_protected', '_private')), { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
    fc.assert(
      fc.property(meshIds.chain((ids) => fc.tuple(fc.constant(ids), fc.constantFrom(...ids), specmeshName)), ([ids, id, name]) => {
        const dotted = name.replace(/\//g, '.');
        const index = new NameIndex(ids);
        expect(specmeshTopic(`/${name}`, id, true)).toEqual({ topic: dotted, relative: false });
        expect(specmeshTopic(name, id, false)).toEqual({ topic: dotted, relative: false });
        const produced = specmeshTopic(name, id, true);
        if (dotted === id || dotted.startsWith(`${id}.`)) {
          expect(produced).toEqual({ topic: dotted, relative: false });
          return;
        }
        const first = dotted.split('.')[0];
        const v = VISIBILITIES.find((x) => `_${x}` === first);
        expect(produced).toEqual(v ? { topic: `${id}.${dotted}`, relative: true, visibility: v } : { topic: `${id}.${dotted}`, relative: false });
        // A tag-only name is claimed by the longest id prefixing it: the nested product's when it lands in its namespace.
        expect(index.claimantOf(produced.topic)).toBe(claimantByDefinition(produced.topic, ids));
      }),
      params,
    );
    expect(visibilityFromTags({ everyone: true, grants: 0 })).toBe('public');
    expect(visibilityFromTags({ everyone: true, grants: 2 })).toBe('public');
    expect(visibilityFromTags({ everyone: false, grants: 1 })).toBe('protected');
    expect(visibilityFromTags({ everyone: false, grants: 0 })).toBe('private');
  });
});

// ---------------------------------------------------------------------------------------------
// The plan's ACLs against the rule: no leak, and the reconcile scope knows every pattern

interface GeneratedMesh {
  ids: string[];
  /** Per product: topics by visibility, a grantee for the protected one, a tag-only topic or not, Kafka Streams or not. */
  shapes: Array<{ id: string; name: string; grantee: string; fromTags: boolean; streams: boolean }>;
}

const generatedMesh: fc.Arbitrary<GeneratedMesh> = meshIds.chain((ids) =>
  fc
    .array(fc.tuple(localName, fc.constantFrom(...ids), fc.boolean(), fc.boolean()), { minLength: ids.length, maxLength: ids.length })
    .map((per) => ({
      ids,
      // A tag-only name another product would claim is refused by the model (MF-SEND-NOT-OWNED): not generated.
      shapes: ids.map((id, i) => ({ id, name: per[i][0], grantee: per[i][1], fromTags: per[i][2] && claimantByDefinition(`${id}.tags.${per[i][0]}`, ids) === id, streams: per[i][3] })),
    })),
);

function build(g: GeneratedMesh) {
  return mesh(
    ...g.shapes.map((s) =>
      product(s.id, {
        kafkaStreams: s.streams,
        topics: [
          topic(s.id, 'public', s.name),
          topic(s.id, 'protected', s.name, { grants: s.grantee === s.id ? [] : [s.grantee] }),
          topic(s.id, 'private', s.name),
          // SpecMesh's tag-only form, `<id>.tags.<name>` (readable by the grantee).
          ...(s.fromTags ? [topic(s.id, 'protected', `tags.${s.name}`, { fromTags: true, grants: s.grantee === s.id ? [] : [s.grantee] })] : []),
        ],
      }),
    ),
  );
}

const principal = (id: string) => `User:${id}`;
const planAcls = (g: GeneratedMesh) =>
  planMesh(build(g), stack()).resources.filter((r): r is KafkaAcl => r.kind === 'kafka:Acl');

describe('the plan against the rule (seed ' + SEED + ')', () => {
  test('no product may write, or read without a grant, a topic another product owns; groups and transactional ids are their owner\'s only', () => {
    fc.assert(
      fc.property(generatedMesh, fc.array(localName, { minLength: 1, maxLength: 3 }), (g, suffixes) => {
        const acls: KafkaAclProps[] = planAcls(g).map((r) => r.properties);
        const may = (who: string, type: KafkaAclProps['resourceType'], name: string, op: AclOperation) => isAllowed(acls, principal(who), type, name, op);
        for (const s of g.shapes) {
          const granted = s.grantee !== s.id ? [s.grantee] : [];
          const declared: Array<[string, Visibility]> = [
            [`${s.id}._public.${s.name}`, 'public'],
            [`${s.id}._protected.${s.name}`, 'protected'],
            [`${s.id}._private.${s.name}`, 'private'],
            ...(s.fromTags ? [[`${s.id}.tags.${s.name}`, 'protected'] as [string, Visibility]] : []),
          ];
          // Names under the owner's prefixes that no spec declares: the owner's alone.
          const undeclared = VISIBILITIES.flatMap((v) => suffixes.map((n) => `${s.id}._${v}.${n}`)).filter((n) => !declared.some(([d]) => d === n));
          for (const p of g.ids) {
            for (const [name, v] of declared) {
              const reads = p === s.id || v === 'public' || (v === 'protected' && granted.includes(p));
              expect([p, name, 'READ', may(p, 'TOPIC', name, 'READ')]).toEqual([p, name, 'READ', reads]);
              expect([p, name, 'WRITE', may(p, 'TOPIC', name, 'WRITE')]).toEqual([p, name, 'WRITE', p === s.id]);
            }
            for (const name of undeclared) {
              expect([p, name, 'READ', may(p, 'TOPIC', name, 'READ')]).toEqual([p, name, 'READ', p === s.id]);
              expect([p, name, 'WRITE', may(p, 'TOPIC', name, 'WRITE')]).toEqual([p, name, 'WRITE', p === s.id]);
              // Kafka Streams' CREATE reaches only the owner's own _private. prefix.
              expect(may(p, 'TOPIC', name, 'CREATE')).toBe(p === s.id && s.streams && name.startsWith(`${s.id}._private.`));
            }
            for (const n of suffixes) {
              for (const name of [`${s.id}.${n}`, `${s.id}-${n}`]) {
                const owner = clientOwnerByDefinition(name, g.ids);
                expect([p, name, 'GROUP', may(p, 'GROUP', name, 'READ')]).toEqual([p, name, 'GROUP', p === owner]);
                expect([p, name, 'TXN', may(p, 'TRANSACTIONAL_ID', name, 'WRITE')]).toEqual([p, name, 'TXN', p === owner]);
              }
            }
          }
        }
      }),
      { ...params, numRuns: Math.ceil(RUNS / 3) },
    );
  });

  test('every ACL the plan writes for a product is in that product\'s reconcile scope, and in no other product\'s', () => {
    fc.assert(
      fc.property(generatedMesh, fc.integer({ min: 0, max: 63 }), (g, pick) => {
        const whole = new OwnershipScope(g.ids);
        const tagOnly = new Set(g.shapes.filter((s) => s.fromTags).map((s) => `${s.id}.tags.${s.name}`));
        // A scope of some of the products, as `kafka apply --product` makes.
        const some = g.ids.filter((_, i) => (pick >> i % 6) & 1);
        const partial = new OwnershipScope(some);
        for (const { product: owner, properties: acl } of planAcls(g)) {
          const expected = acl.patternType === 'LITERAL' && tagOnly.has(acl.resourceName) ? resourceOwnerByDefinition(acl.resourceName, g.ids) : owner;
          expect([acl.resourceName, whole.ownerOfAcl(acl)]).toEqual([acl.resourceName, expected]);
          if (expected === owner) expect([acl.resourceName, partial.ownerOfAcl(acl)]).toEqual([acl.resourceName, some.includes(owner) ? owner : undefined]);
        }
      }),
      params,
    );
  });
});
