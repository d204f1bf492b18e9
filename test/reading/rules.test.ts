import { topicConfigValue, TOPIC_CONFIG } from '../../src/reading/kafka-topic-config';
import { collisionKey, qualifyAddress, topicNameProblem } from '../../src/vocabulary/topic-names';
import { isPublicMember, ownerMember } from '../../src/reading/extension';
import { refPolicyProblem } from '../../src/reading/refs';
import { businessDomainOf, domainIdOf, isProductUrn, reservedSegment } from '../../src/reading/urn';

describe('product urns', () => {
  it.each([
    ['urn:acme:retail:orders', true], ['urn:acme.retail.orders', true], ['urn:acme:retail_2:order-v2', true],
    ['urn:orders', false], ['urn:Acme:retail', false], ['acme:retail:orders', false], ['urn:acme::orders', false],
  ])('%s valid=%s', (urn, valid) => expect(isProductUrn(urn)).toBe(valid));

  it.each([
    ['urn:acme:_private:x', '_private'], ['urn:acme:retail:_public', '_public'], ['urn:acme._protected.x', '_protected'],
    ['urn:_acme:retail', '_acme'], ['urn:acme:retail:orders', undefined], ['urn:acme:retail_2:order_v2', undefined],
  ])('%s has reserved segment %s', (urn, segment) => expect(reservedSegment(urn)).toBe(segment));

  it('maps to the domain id and business domain', () => {
    expect(domainIdOf('urn:acme:retail:orders')).toBe('acme.retail.orders');
    expect(businessDomainOf('acme.retail.orders')).toBe('acme.retail');
  });
});

describe('topic names', () => {
  it('qualifies relative addresses with either separator', () => {
    expect(qualifyAddress('_public.order_placed', 'acme.retail.orders')).toEqual({ topic: 'acme.retail.orders._public.order_placed', relative: true, visibility: 'public' });
    expect(qualifyAddress('_private/state/v1', 'acme.x')).toEqual({ topic: 'acme.x._private.state.v1', relative: true, visibility: 'private' });
    expect(qualifyAddress('acme/retail/orders/_protected/p', 'acme.other')).toEqual({ topic: 'acme.retail.orders._protected.p', relative: false });
  });

  it('accepts what Kafka accepts and nothing else', () => {
    expect(topicNameProblem('a.b_c-D9')).toBeUndefined();
    expect(topicNameProblem('x'.repeat(249))).toBeUndefined();
    expect(topicNameProblem('x'.repeat(250))).toMatch(/at most 249/);
    expect(topicNameProblem('.')).toMatch(/not a legal/);
    expect(topicNameProblem('..')).toMatch(/not a legal/);
    expect(topicNameProblem('a b/{c}')).toMatch(/" " "\/" "{" "}"/);
  });

  it('finds dot/underscore collisions', () => {
    expect(collisionKey('a.b_c')).toBe(collisionKey('a_b.c'));
    expect(collisionKey('a.b')).not.toBe(collisionKey('a.c'));
  });
});

describe('Kafka topic configuration', () => {
  it('converts values to Kafka strings', () => {
    expect(topicConfigValue(TOPIC_CONFIG['cleanup.policy'], ['compact', 'delete'])).toEqual({ value: 'compact,delete' });
    expect(topicConfigValue(TOPIC_CONFIG['cleanup.policy'], 'delete')).toEqual({ value: 'delete' });
    expect(topicConfigValue(TOPIC_CONFIG['retention.ms'], '-1')).toEqual({ value: '-1' });
    expect(topicConfigValue(TOPIC_CONFIG['retention.ms'], 86400000)).toEqual({ value: '86400000' });
    expect(topicConfigValue(TOPIC_CONFIG['unclean.leader.election.enable'], false)).toEqual({ value: 'false' });
    expect(topicConfigValue(TOPIC_CONFIG['min.cleanable.dirty.ratio'], 0.5)).toEqual({ value: '0.5' });
  });

  it('rejects wrong types and ranges', () => {
    expect(topicConfigValue(TOPIC_CONFIG['retention.ms'], -2)).toEqual({ problem: 'must be >= -1' });
    expect(topicConfigValue(TOPIC_CONFIG['max.message.bytes'], 2 ** 31)).toEqual({ problem: 'must fit a 32-bit integer' });
    expect(topicConfigValue(TOPIC_CONFIG['segment.bytes'], 1000)).toEqual({ problem: 'must be >= 1048576' });
    expect(topicConfigValue(TOPIC_CONFIG['compression.type'], 'brotli')).toHaveProperty('problem');
    expect(topicConfigValue(TOPIC_CONFIG['cleanup.policy'], [])).toEqual({ problem: 'must not be empty' });
    expect(topicConfigValue(TOPIC_CONFIG.preallocate, 'yes')).toHaveProperty('problem');
  });
});

describe('owners', () => {
  it.each([
    ['alice@acme.com', 'user:alice@acme.com'],
    ['group:team@acme.com', 'group:team@acme.com'],
    ['serviceAccount:ci@p.iam.gserviceaccount.com', 'serviceAccount:ci@p.iam.gserviceaccount.com'],
    ['domain:acme.com', 'domain:acme.com'],
    ['admin:alice@acme.com', undefined],
    ['user:alice', undefined],
    ['domain:alice@acme.com', undefined],
  ])('%s -> %s', (entry, member) => expect(ownerMember(entry)).toBe(member));

  it.each([
    ['allUsers', true], ['allAuthenticatedUsers', true], ['user:allUsers', true], ['group:allAuthenticatedUsers', true],
    ['domain:ALLUSERS', true], ['alice@acme.com', false], ['group:all-users@acme.com', false], ['user:allusers@acme.com', false],
  ])('%s is everyone: %s', (entry, everyone) => {
    expect(isPublicMember(entry)).toBe(everyone);
    if (everyone) expect(ownerMember(entry)).toBeUndefined();
  });
});

describe('$ref policy (checked before anything is read or fetched)', () => {
  const file = '/specs/retail/orders.yaml';
  const root = '/specs';
  it.each([
    ['#/components/schemas/Order', undefined],
    ['common/order.yaml#/Order', undefined],
    ['../shared/order.yaml', undefined],
    ['http://example.com/x.yaml', 'MF-REF-REMOTE'],
    ['HTTPS://example.com/x.yaml#/a', 'MF-REF-REMOTE'],
    // Root-relative (SpecMesh's `/schema/x.avsc`): read from the spec root, never from the file system's.
    ['/schema/order.avsc', undefined],
    ['/etc/passwd', undefined],
    ['/../../outside.yaml', undefined],
    ['//example.com/x.yaml', 'MF-REF-REMOTE'],
    ['\\\\server\\share\\x.yaml', 'MF-REF-REMOTE'],
    ['file:///etc/passwd', 'MF-REF-ABSOLUTE'],
    ['C:\\specs\\x.yaml', 'MF-REF-ABSOLUTE'],
    ['../../outside.yaml', 'MF-REF-ESCAPE'],
    ['..%2F..%2Foutside.yaml', 'MF-REF-ESCAPE'],
  ])('%s -> %s', (ref, code) => expect(refPolicyProblem(ref, file, root)?.code).toBe(code));
});
