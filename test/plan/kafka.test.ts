import { planMesh, productPrincipal, scaledPartitions } from '../../src/plan';
import { topicSizing, unscaledPartitions, unscaledReplicas } from '../../src/plan/kafka';
import type { AclOperation, KafkaAcl, KafkaAclProps, KafkaTopic, Plan } from '../../src/plan/types';
import { isAllowed } from './authorizer';
import { mesh, product, topic } from '../support/mesh';
import { stack } from '../support/stack';
import { exampleMesh } from './example-mesh';

const acls = (plan: Plan): KafkaAclProps[] =>
  plan.resources.filter((r): r is KafkaAcl => r.kind === 'kafka:Acl').map((r) => r.properties);
const topics = (plan: Plan): KafkaTopic['properties'][] =>
  plan.resources.filter((r): r is KafkaTopic => r.kind === 'kafka:Topic').map((r) => r.properties);
const key = (a: KafkaAclProps) =>
  [a.principal, a.resourceType, a.patternType, a.resourceName, a.operation, a.permission, a.host].join(' ');

describe('Kafka ACLs', () => {
  const plan = planMesh(exampleMesh(), stack());
  const all = acls(plan);

  test('owner rights: PREFIXED per visibility for topics, on the id plus the delimiter otherwise', () => {
    const owned = all.filter((a) => a.principal === 'User:acme.retail.orders').map(key).sort();
    const topicRights = ['_public', '_protected', '_private'].flatMap((segment) =>
      ['DESCRIBE', 'DESCRIBE_CONFIGS', 'READ', 'WRITE'].map(
        (op) => `User:acme.retail.orders TOPIC PREFIXED acme.retail.orders.${segment}. ${op} ALLOW *`,
      ),
    );
    expect(owned).toEqual(
      [
        ...topicRights,
        'User:acme.retail.orders GROUP PREFIXED acme.retail.orders. DESCRIBE ALLOW *',
        'User:acme.retail.orders GROUP PREFIXED acme.retail.orders. READ ALLOW *',
        'User:acme.retail.orders GROUP PREFIXED acme.retail.orders- DESCRIBE ALLOW *',
        'User:acme.retail.orders GROUP PREFIXED acme.retail.orders- READ ALLOW *',
        'User:acme.retail.orders TRANSACTIONAL_ID PREFIXED acme.retail.orders. DESCRIBE ALLOW *',
        'User:acme.retail.orders TRANSACTIONAL_ID PREFIXED acme.retail.orders. WRITE ALLOW *',
        'User:acme.retail.orders TRANSACTIONAL_ID PREFIXED acme.retail.orders- DESCRIBE ALLOW *',
        'User:acme.retail.orders TRANSACTIONAL_ID PREFIXED acme.retail.orders- WRITE ALLOW *',
      ].sort(),
    );
  });

  test('every PREFIXED pattern ends with a delimiter (topics: "."; groups, transactional ids: "." or "-"); every ACL is an ALLOW for any host', () => {
    for (const acl of all) {
      if (acl.patternType === 'PREFIXED') expect(acl.resourceName).toMatch(acl.resourceType === 'TOPIC' ? /\.$/ : /[.-]$/);
      expect(acl.permission).toBe('ALLOW');
      expect(acl.host).toBe('*');
    }
  });

  test('nobody gets topic management, cluster rights or ALL: the reconcile admin owns those', () => {
    const forbidden: AclOperation[] = ['ALL', 'CREATE', 'DELETE', 'ALTER', 'ALTER_CONFIGS', 'CLUSTER_ACTION', 'IDEMPOTENT_WRITE'];
    expect(all.filter((a) => forbidden.includes(a.operation))).toEqual([]);
    expect(all.filter((a) => a.resourceType === 'CLUSTER')).toEqual([]);
  });

  test('public topic: LITERAL READ and DESCRIBE for User:*, nothing else for User:*', () => {
    expect(all.filter((a) => a.principal === 'User:*').map(key).sort()).toEqual(
      [
        'User:* TOPIC LITERAL acme.finance.billing._public.invoice_issued DESCRIBE ALLOW *',
        'User:* TOPIC LITERAL acme.finance.billing._public.invoice_issued READ ALLOW *',
        'User:* TOPIC LITERAL acme.retail.orders._public.order_placed DESCRIBE ALLOW *',
        'User:* TOPIC LITERAL acme.retail.orders._public.order_placed READ ALLOW *',
        'User:* TOPIC LITERAL acme.userprops._public.prop_changed DESCRIBE ALLOW *',
        'User:* TOPIC LITERAL acme.userprops._public.prop_changed READ ALLOW *',
      ].sort(),
    );
  });

  test('protected topic: LITERAL READ and DESCRIBE for each grantee only', () => {
    const granted = all.filter((a) => a.resourceName === 'acme.retail.orders._protected.payment_details');
    expect(granted.map(key).sort()).toEqual([
      'User:acme.finance.billing TOPIC LITERAL acme.retail.orders._protected.payment_details DESCRIBE ALLOW *',
      'User:acme.finance.billing TOPIC LITERAL acme.retail.orders._protected.payment_details READ ALLOW *',
    ]);
  });

  test('private topic: no ACL names it; only the owner prefix reaches it', () => {
    const naming = all.filter((a) => a.resourceName.includes('_private'));
    expect(naming.filter((a) => a.patternType === 'LITERAL')).toEqual([]);
    for (const acl of naming) expect(acl.principal).toBe(`User:${acl.resourceName.split('._private.')[0]}`);
  });

  test('no duplicate ACLs and unique names, even for repeated and self grants', () => {
    const repeated = mesh(
      product('acme.a', {
        topics: [
          topic('acme.a', 'protected', 'x', { grants: ['acme.b', 'acme.b', 'acme.a'] }),
          topic('acme.a', 'protected', 'y', { grants: ['acme.b'] }),
        ],
      }),
      product('acme.b'),
    );
    const result = planMesh(repeated, stack());
    const list = acls(result);
    expect(new Set(list.map(key)).size).toBe(list.length);
    expect(new Set(result.resources.map((r) => r.name)).size).toBe(result.resources.length);
    expect(list.filter((a) => a.patternType === 'LITERAL' && a.principal === 'User:acme.a')).toEqual([]);
    expect(list.filter((a) => a.patternType === 'LITERAL' && a.principal === 'User:acme.b')).toHaveLength(4);
  });

  test('the principal template names every principal, grantees included', () => {
    const custom = stack({ kafka: { principalTemplate: 'User:CN={domain},OU=kafka' } });
    expect(productPrincipal('acme.retail.orders', custom)).toBe('User:CN=acme.retail.orders,OU=kafka');
    const principals = new Set(acls(planMesh(exampleMesh(), custom)).map((a) => a.principal));
    expect([...principals].sort()).toEqual([
      'User:*',
      'User:CN=acme.finance.billing,OU=kafka',
      'User:CN=acme.retail.orders,OU=kafka',
      'User:CN=acme.user,OU=kafka',
      'User:CN=acme.userprops,OU=kafka',
    ]);
  });

  describe('access matrix, as Kafka would authorize it', () => {
    const owner = 'User:acme.retail.orders';
    const grantee = 'User:acme.finance.billing';
    const other = 'User:acme.user';
    const cases: Array<[string, string, boolean, boolean]> = [
      // topic, principal, may read, may write
      ['acme.retail.orders._public.order_placed', owner, true, true],
      ['acme.retail.orders._public.order_placed', grantee, true, false],
      ['acme.retail.orders._public.order_placed', other, true, false],
      ['acme.retail.orders._protected.payment_details', owner, true, true],
      ['acme.retail.orders._protected.payment_details', grantee, true, false],
      ['acme.retail.orders._protected.payment_details', other, false, false],
      ['acme.retail.orders._private.order_state', owner, true, true],
      ['acme.retail.orders._private.order_state', grantee, false, false],
      ['acme.retail.orders._private.order_state', other, false, false],
      // acme.user's prefix must not reach acme.userprops, and the other way round.
      ['acme.userprops._public.prop_changed', 'User:acme.user', true, false],
      ['acme.userprops._private.anything', 'User:acme.user', false, false],
      ['acme.user._private.profile', 'User:acme.userprops', false, false],
      ['acme.user._private.profile', 'User:acme.user', true, true],
      // A topic nobody declared, even under an owner's prefix, can't be created by the owner.
      ['acme.retail.orders._private.undeclared', owner, true, true],
    ];
    test.each(cases)('%s as %s: read %s, write %s', (name, principal, read, write) => {
      expect(isAllowed(all, principal, 'TOPIC', name, 'READ')).toBe(read);
      expect(isAllowed(all, principal, 'TOPIC', name, 'DESCRIBE')).toBe(read || write);
      expect(isAllowed(all, principal, 'TOPIC', name, 'WRITE')).toBe(write);
      expect(isAllowed(all, principal, 'TOPIC', name, 'CREATE')).toBe(false);
      expect(isAllowed(all, principal, 'TOPIC', name, 'DELETE')).toBe(false);
      expect(isAllowed(all, principal, 'TOPIC', name, 'ALTER_CONFIGS')).toBe(false);
    });

    test('consumer groups and transactional ids live under the own prefix only', () => {
      expect(isAllowed(all, grantee, 'GROUP', 'acme.finance.billing.orders-reader', 'READ')).toBe(true);
      expect(isAllowed(all, grantee, 'GROUP', 'acme.retail.orders.orders-reader', 'READ')).toBe(false);
      expect(isAllowed(all, 'User:acme.user', 'GROUP', 'acme.userprops.app', 'READ')).toBe(false);
      expect(isAllowed(all, owner, 'TRANSACTIONAL_ID', 'acme.retail.orders.tx-1', 'WRITE')).toBe(true);
      expect(isAllowed(all, 'User:acme.user', 'TRANSACTIONAL_ID', 'acme.userprops.tx-1', 'WRITE')).toBe(false);
      // A group outside any prefix (no product id in front) is nobody's.
      expect(isAllowed(all, owner, 'GROUP', 'orders-reader', 'READ')).toBe(false);
    });
  });
});

describe('nested product ids (acme.user and acme.user.profile)', () => {
  const nested = mesh(
    product('acme.user', { topics: [topic('acme.user', 'private', 'profile')] }),
    product('acme.user.profile', {
      topics: [topic('acme.user.profile', 'private', 'secret'), topic('acme.user.profile', 'public', 'changed')],
    }),
  );
  const plan = planMesh(nested, stack());
  const all = acls(plan);
  const parent = 'User:acme.user';
  const child = 'User:acme.user.profile';

  test("the parent's prefixes reach none of the nested product's topics, groups or transactional ids", () => {
    expect(isAllowed(all, parent, 'TOPIC', 'acme.user.profile._private.secret', 'READ')).toBe(false);
    expect(isAllowed(all, parent, 'TOPIC', 'acme.user.profile._private.secret', 'WRITE')).toBe(false);
    expect(isAllowed(all, parent, 'TOPIC', 'acme.user.profile._public.changed', 'WRITE')).toBe(false);
    expect(isAllowed(all, parent, 'GROUP', 'acme.user.profile.app', 'READ')).toBe(false);
    expect(isAllowed(all, parent, 'TRANSACTIONAL_ID', 'acme.user.profile.tx', 'WRITE')).toBe(false);
  });

  test('each keeps its own rights, and the parent may still read the public topic', () => {
    expect(isAllowed(all, parent, 'TOPIC', 'acme.user._private.profile', 'WRITE')).toBe(true);
    expect(isAllowed(all, parent, 'GROUP', 'acme.user.app', 'READ')).toBe(true);
    expect(isAllowed(all, parent, 'TOPIC', 'acme.user.profile._public.changed', 'READ')).toBe(true);
    expect(isAllowed(all, child, 'TOPIC', 'acme.user.profile._private.secret', 'WRITE')).toBe(true);
    expect(isAllowed(all, child, 'GROUP', 'acme.user.profile.app', 'READ')).toBe(true);
    expect(isAllowed(all, child, 'TOPIC', 'acme.user._private.profile', 'READ')).toBe(false);
  });

  test("the deny belongs to the nested product, names only the parent, and only groups and transactional ids", () => {
    const denies = plan.resources.filter((r): r is KafkaAcl => r.kind === 'kafka:Acl' && r.properties.permission === 'DENY');
    expect(denies.map((r) => `${r.product}: ${key(r.properties)}`).sort()).toEqual([
      'acme.user.profile: User:acme.user GROUP PREFIXED acme.user.profile- ALL DENY *',
      'acme.user.profile: User:acme.user GROUP PREFIXED acme.user.profile. ALL DENY *',
      'acme.user.profile: User:acme.user TRANSACTIONAL_ID PREFIXED acme.user.profile- ALL DENY *',
      'acme.user.profile: User:acme.user TRANSACTIONAL_ID PREFIXED acme.user.profile. ALL DENY *',
    ]);
  });
});

describe('Kafka topics', () => {
  test('partitions are scaled by the factor and rounded up, at least 1', () => {
    expect(scaledPartitions(12, 0.25)).toBe(3);
    expect(scaledPartitions(3, 0.25)).toBe(1);
    expect(scaledPartitions(1, 0.01)).toBe(1);
    expect(scaledPartitions(10, 0.3)).toBe(3);
    expect(scaledPartitions(7, 1)).toBe(7);
    expect(scaledPartitions(5, 0.5)).toBe(3);
    expect(scaledPartitions(4, 2)).toBe(8);
  });

  // Rounding up, not to the nearest: each of these rounds down to the nearest, so Math.round or
  // Math.floor instead of Math.ceil changes the answer.
  test.each([
    [5, 0.25, 2], // 1.25
    [10, 0.21, 3], // 2.1
    [3, 1.1, 4], // 3.3
    [9, 0.1, 1], // 0.9 (floor would give 0, then at least 1)
    [7, 0.3, 3], // 2.1
    [100, 0.011, 2], // 1.1
    [1, 1.4, 2], // 1.4
  ])('%i partitions at factor %f plan %i (rounded up where rounding to the nearest goes down)', (partitions, factor, planned) => {
    expect(scaledPartitions(partitions, factor)).toBe(planned);
  });

  test('the plan rounds up too: 5 partitions on a 0.25 stack are 2, 12 are 3, 2 are 1', () => {
    const m = mesh(
      product('acme.s', {
        topics: [
          topic('acme.s', 'public', 'five', { partitions: 5 }),
          topic('acme.s', 'public', 'twelve', { partitions: 12 }),
          topic('acme.s', 'public', 'two', { partitions: 2 }),
        ],
      }),
    );
    const sized = topics(planMesh(m, stack({ kafka: { partitionFactor: 0.25 } })));
    expect(Object.fromEntries(sized.map((t) => [t.topic, t.partitions]))).toEqual({
      'acme.s._public.five': 2,
      'acme.s._public.twelve': 3,
      'acme.s._public.two': 1,
    });
  });

  test('unscaledPartitions undoes the factor: the largest spec value that plans the actual count, none where a factor skips it', () => {
    expect(unscaledPartitions(2, 0.25)).toBe(8);
    expect(unscaledPartitions(1, 0.25)).toBe(4);
    expect(unscaledPartitions(3, 0.3)).toBe(10);
    expect(unscaledPartitions(7, 1)).toBe(7);
    expect(unscaledPartitions(8, 2)).toBe(4);
    expect(unscaledPartitions(3, 2)).toBeUndefined();
    expect(unscaledPartitions(1, 2)).toBeUndefined();
    const factors = [0.01, 0.1, 0.25, 0.3, 1 / 3, 0.5, 0.7, 1, 1.5, 2, 3, 100];
    for (const factor of factors) {
      for (let actual = 1; actual <= 500; actual++) {
        const p = unscaledPartitions(actual, factor);
        // Every count that scales to `actual` lies in ((actual - 1) / factor, actual / factor]: search a little beyond.
        const from = Math.max(1, Math.floor((actual - 1) / factor) - 2);
        const candidates = Array.from({ length: Math.ceil(actual / factor) + 3 - from }, (_, i) => from + i);
        const reachable = candidates.filter((n) => scaledPartitions(n, factor) === actual);
        if (reachable.length === 0) expect(p).toBeUndefined();
        else expect(p).toBe(Math.max(...reachable));
      }
    }
  });

  test('unscaledReplicas leaves to the default what the cap made, and keeps what it did not', () => {
    expect(unscaledReplicas(1, { replicasCap: 1, defaultReplicas: 3 })).toBeUndefined();
    expect(unscaledReplicas(1, { replicasCap: 2, defaultReplicas: 3 })).toBe(1);
    expect(unscaledReplicas(3, { defaultReplicas: 3 })).toBe(3);
    expect(unscaledReplicas(2, { replicasCap: 2, defaultReplicas: 1 })).toBe(2);
  });

  test('spec values win over stack defaults; replicas are capped; config is copied as strings', () => {
    const m = mesh(
      product('acme.a', {
        topics: [
          topic('acme.a', 'public', 'sized', { partitions: 12, replicas: 3, config: { 'retention.ms': '1000', 'cleanup.policy': 'compact,delete' } }),
          topic('acme.a', 'public', 'defaulted'),
          topic('acme.a', 'public', 'single', { replicas: 1 }),
        ],
      }),
    );
    const dev = stack({ kafka: { defaultPartitions: 6, defaultReplicas: 3, replicasCap: 2, partitionFactor: 0.25 } });
    const byName = Object.fromEntries(topics(planMesh(m, dev)).map((t) => [t.topic, t]));
    expect(byName['acme.a._public.sized']).toEqual({
      topic: 'acme.a._public.sized',
      partitions: 3,
      replicas: 2,
      config: { 'cleanup.policy': 'compact,delete', 'retention.ms': '1000' },
    });
    expect(byName['acme.a._public.defaulted']).toMatchObject({ partitions: 2, replicas: 2, config: {} });
    expect(byName['acme.a._public.single']).toMatchObject({ partitions: 2, replicas: 1 });

    const prod = stack({ kafka: { defaultPartitions: 6, defaultReplicas: 3 } });
    const uncapped = Object.fromEntries(topics(planMesh(m, prod)).map((t) => [t.topic, t]));
    expect(uncapped['acme.a._public.sized']).toMatchObject({ partitions: 12, replicas: 3 });
    expect(uncapped['acme.a._public.defaulted']).toMatchObject({ partitions: 6, replicas: 3 });
  });

  test("topicSizing explains each value: the spec's or the stack's default, and the setting that changed it", () => {
    const capped = stack({ kafka: { defaultPartitions: 6, defaultReplicas: 3, replicasCap: 2, partitionFactor: 0.25 } });
    expect(topicSizing(topic('acme.a', 'public', 'sized', { partitions: 12, replicas: 3, config: { 'min.insync.replicas': '3' } }), capped)).toEqual({
      partitions: { value: 3, from: 12, defaulted: false, because: ['partitionFactor 0.25'] },
      replicas: { value: 2, from: 3, defaulted: false, because: ['replicasCap 2'] },
      config: { 'min.insync.replicas': { value: '2', from: '3', defaulted: false, because: ['replicasCap 2'] } },
    });
    expect(topicSizing(topic('acme.a', 'public', 'defaulted'), capped)).toEqual({
      partitions: { value: 2, from: 6, defaulted: true, because: ['partitionFactor 0.25'] },
      replicas: { value: 2, from: 3, defaulted: true, because: ['replicasCap 2'] },
      config: {},
    });
    // Nothing changed by the stack: no reasons; min.insync.replicas equal to replicas is kept, not lowered.
    expect(topicSizing(topic('acme.a', 'public', 'small', { partitions: 4, replicas: 2, config: { 'min.insync.replicas': '2' } }), capped)).toEqual({
      partitions: { value: 1, from: 4, defaulted: false, because: ['partitionFactor 0.25'] },
      replicas: { value: 2, from: 2, defaulted: false, because: [] },
      config: {},
    });
    expect(topicSizing(topic('acme.a', 'public', 'plain', { partitions: 5, config: { 'min.insync.replicas': 'two' } }), stack())).toEqual({
      partitions: { value: 5, from: 5, defaulted: false, because: [] },
      replicas: { value: 3, from: 3, defaulted: true, because: [] },
      config: {},
    });
  });

  test('min.insync.replicas follows replicas down when the stack caps them', () => {
    const m = mesh(
      product('acme.a', {
        topics: [
          topic('acme.a', 'public', 'durable', { replicas: 3, config: { 'min.insync.replicas': '2' } }),
          topic('acme.a', 'public', 'relaxed', { replicas: 3, config: { 'min.insync.replicas': '1' } }),
        ],
      }),
    );
    const configOf = (s: ReturnType<typeof stack>) =>
      Object.fromEntries(topics(planMesh(m, s)).map((t) => [t.topic, t.config['min.insync.replicas']]));
    expect(configOf(stack({ kafka: { replicasCap: 1 } }))).toEqual({ 'acme.a._public.durable': '1', 'acme.a._public.relaxed': '1' });
    expect(configOf(stack({ kafka: { replicasCap: 2 } }))).toEqual({ 'acme.a._public.durable': '2', 'acme.a._public.relaxed': '1' });
    expect(configOf(stack())).toEqual({ 'acme.a._public.durable': '2', 'acme.a._public.relaxed': '1' });
  });

  test('one topic resource per owned topic, none for consumed topics', () => {
    const names = topics(planMesh(exampleMesh(), stack())).map((t) => t.topic);
    expect(names.sort()).toEqual([
      'acme.finance.billing._public.invoice_issued',
      'acme.retail.orders._private.order_state',
      'acme.retail.orders._protected.payment_details',
      'acme.retail.orders._public.order_placed',
      'acme.user._private.profile',
      'acme.userprops._public.prop_changed',
    ]);
  });
});

describe('input topics (grant-write)', () => {
  const m = mesh(
    product('acme.retail.orders', {
      topics: [
        topic('acme.retail.orders', 'protected', 'order_commands', { writers: ['acme.ops.alerting'], grants: ['acme.finance.billing'] }),
        topic('acme.retail.orders', 'protected', 'order_payment', { grants: ['acme.finance.billing'] }),
      ],
    }),
    product('acme.ops.alerting'),
    product('acme.finance.billing'),
  );
  const plan = planMesh(m, stack({ kafka: { principalTemplate: 'User:svc-{domain}' } }));
  const all = acls(plan);

  test('the writer gets LITERAL WRITE and DESCRIBE on that one topic, under the owner; nothing on the cluster', () => {
    const writer = all.filter((a) => a.principal === 'User:svc-acme.ops.alerting' && a.resourceType === 'TOPIC' && a.resourceName.startsWith('acme.retail.orders'));
    expect(writer.map(key).sort()).toEqual([
      'User:svc-acme.ops.alerting TOPIC LITERAL acme.retail.orders._protected.order_commands DESCRIBE ALLOW *',
      'User:svc-acme.ops.alerting TOPIC LITERAL acme.retail.orders._protected.order_commands WRITE ALLOW *',
    ]);
    const owners = plan.resources.filter((r) => r.kind === 'kafka:Acl' && r.properties.principal === 'User:svc-acme.ops.alerting' && r.properties.resourceName.startsWith('acme.retail.orders')).map((r) => r.product);
    expect(new Set(owners)).toEqual(new Set(['acme.retail.orders']));
    expect(all.some((a) => a.resourceType === 'CLUSTER')).toBe(false);
  });

  test('what Kafka allows: the writer writes but does not read; the reader reads but does not write', () => {
    const commands = 'acme.retail.orders._protected.order_commands';
    expect(isAllowed(all, 'User:svc-acme.ops.alerting', 'TOPIC', commands, 'WRITE')).toBe(true);
    expect(isAllowed(all, 'User:svc-acme.ops.alerting', 'TOPIC', commands, 'READ')).toBe(false);
    expect(isAllowed(all, 'User:svc-acme.ops.alerting', 'TOPIC', 'acme.retail.orders._protected.order_payment', 'WRITE')).toBe(false);
    expect(isAllowed(all, 'User:svc-acme.finance.billing', 'TOPIC', commands, 'READ')).toBe(true);
    expect(isAllowed(all, 'User:svc-acme.finance.billing', 'TOPIC', commands, 'WRITE')).toBe(false);
  });

  test('a write grant on a public or private topic in a model built in code gives nothing (the model refuses it from specs)', () => {
    const odd = mesh(
      product('acme.a', { topics: [topic('acme.a', 'public', 'x', { writers: ['acme.b'] }), topic('acme.a', 'private', 'y', { writers: ['acme.b'] })] }),
      product('acme.b'),
    );
    expect(acls(planMesh(odd, stack())).filter((a) => a.principal === 'User:acme.b' && a.resourceName.startsWith('acme.a'))).toEqual([]);
  });
});

describe('Kafka quotas', () => {
  const quotas = (plan: Plan) => plan.resources.flatMap((r) => (r.kind === 'kafka:Quota' ? [r] : []));

  test("one kafka:Quota per product with any quota, for its principal's user entity, spec values first", () => {
    const m = mesh(product('acme.a', { quotas: { producer_byte_rate: 1048576, request_percentage: 25 } }), product('acme.b'));
    const plan = planMesh(m, stack({ kafka: { principalTemplate: 'User:svc-{domain}' } }));
    expect(quotas(plan)).toEqual([
      {
        kind: 'kafka:Quota',
        name: 'acme.a/quota/User:svc-acme.a',
        product: 'acme.a',
        properties: { principal: 'User:svc-acme.a', entity: { user: 'svc-acme.a' }, quotas: { producer_byte_rate: 1048576, request_percentage: 25 } },
      },
    ]);
  });

  test("the stack's defaults fill the keys a product leaves out; its factor scales byte rates (rounded, at least 1), never the request share", () => {
    const m = mesh(product('acme.a', { quotas: { producer_byte_rate: 1000, request_percentage: 40 } }), product('acme.b'));
    const s = stack({ kafka: { quotas: { defaults: { consumer_byte_rate: 3, request_percentage: 10 }, factor: 0.25 } } });
    const byProduct = Object.fromEntries(quotas(planMesh(m, s)).map((q) => [q.product, q.properties.quotas]));
    // 1000 * 0.25 = 250; 3 * 0.25 = 0.75 -> 1; 40% and 10% stay.
    expect(byProduct).toEqual({
      'acme.a': { producer_byte_rate: 250, consumer_byte_rate: 1, request_percentage: 40 },
      'acme.b': { consumer_byte_rate: 1, request_percentage: 10 },
    });
  });
});
