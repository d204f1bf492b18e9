/** The fingerprint of a saved plan's part of the cluster: what moves it and what does not. States written by hand. */
import { fingerprintState, movedSince } from '../../src/adapters/kafka/engine/fingerprint';
import { OwnershipScope } from '../../src/adapters/kafka/engine/scope';
import { selectState } from '../../src/adapters/kafka/engine/state';
import type { KafkaAclProps } from '../../src/plan/types';
import { actualTopic, state } from './fixtures';

const scope = OwnershipScope.ofProducts(['acme.user', 'acme.billing'], 'User:{domain}');
const read = (who: string, topic: string): KafkaAclProps => ({ principal: who, resourceType: 'TOPIC', patternType: 'LITERAL', resourceName: topic, operation: 'READ', permission: 'ALLOW', host: '*' });

const base = () =>
  state(
    [actualTopic('acme.user._public.signups', 3, 1, { 'retention.ms': '86400000' }), actualTopic('acme.billing._public.invoices', 1, 1)],
    [read('User:*', 'acme.user._public.signups'), read('User:acme.user', 'acme.billing._public.invoices')],
  );
const moved = (change: (s: ReturnType<typeof base>) => void) => {
  const after = base();
  change(after);
  return movedSince(fingerprintState(base(), scope), fingerprintState(state([...after.topics.values()], after.acls), scope));
};

describe('fingerprintState / movedSince', () => {
  it('the same state, in another order, has the same fingerprint', () => {
    const reordered = state([...base().topics.values()].reverse(), [...base().acls].reverse());
    expect(fingerprintState(reordered, scope)).toEqual(fingerprintState(base(), scope));
    expect(fingerprintState(base(), scope).digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['a partition more', (s: ReturnType<typeof base>) => (s.topics.get('acme.user._public.signups')!.partitions = 4), ['topics of acme.user']],
    ['a config value changed', (s: ReturnType<typeof base>) => (s.topics.get('acme.user._public.signups')!.config['retention.ms'] = '1'), ['topics of acme.user']],
    ['a config set', (s: ReturnType<typeof base>) => (s.topics.get('acme.billing._public.invoices')!.config['cleanup.policy'] = 'compact'), ['topics of acme.billing']],
    ['a replication factor changed', (s: ReturnType<typeof base>) => (s.topics.get('acme.billing._public.invoices')!.replicas = 3), ['topics of acme.billing']],
    ['a topic gone', (s: ReturnType<typeof base>) => s.topics.delete('acme.billing._public.invoices'), ['topics of acme.billing']],
    ['a hidden (sensitive) config key set', (s: ReturnType<typeof base>) => s.topics.get('acme.user._public.signups')!.hiddenKeys.push('secret.key'), ['topics of acme.user']],
    // The grant of acme.user on acme.billing's topic belongs to acme.billing, whose resource it is.
    ['an ACL removed', (s: ReturnType<typeof base>) => s.acls.pop(), ['ACLs of acme.billing']],
    ['an ACL and a topic of two products', (s: ReturnType<typeof base>) => {
      s.acls.push(read('User:mallory', 'acme.user._public.signups'));
      s.topics.set('acme.billing._private.x', actualTopic('acme.billing._private.x'));
    }, ['topics of acme.billing', 'ACLs of acme.user']],
  ])('%s moves it, naming whose', (_what, change, expected) => {
    expect(moved(change)).toEqual(expected);
  });

  it('what no product in scope owns is not read, so it does not count', () => {
    const cluster = base();
    cluster.topics.set('acme.userprops._public.changes', actualTopic('acme.userprops._public.changes'));
    cluster.acls.push(read('User:*', 'other.team._public.t'));
    // readState hands the diff (and the fingerprint) only the scope's part: selectState.
    const part = selectState(state([...cluster.topics.values()], cluster.acls), scope);
    expect(fingerprintState(part, scope)).toEqual(fingerprintState(base(), scope));
  });

  it('a name the plan declares outside every product is counted apart', () => {
    const declared = base();
    declared.topics.set('legacy.orders', actualTopic('legacy.orders'));
    expect(movedSince(fingerprintState(base(), scope), fingerprintState(state([...declared.topics.values()], declared.acls), scope))).toEqual(['topics declared outside every product']);
  });
});
