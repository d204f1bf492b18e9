import { didYouMean, nearest } from '../../src/suggest';

describe('nearest: a likely typo, or nothing', () => {
  it('finds near misses of short names and ignores case', () => {
    expect(nearest('owner', ['owners', 'domainType', 'storage'])).toBe('owners');
    expect(nearest('DomainTyp', ['owners', 'domainType', 'storage'])).toBe('domainType');
    expect(nearest('partitionFacter', ['partitionFactor', 'replicasCap'])).toBe('partitionFactor');
    expect(nearest('xyz', ['owners', 'storage'])).toBeUndefined();
  });

  it('never suggests the word itself', () => {
    expect(nearest('owners', ['owners'])).toBeUndefined();
  });

  it('judges dotted names by their last segment, so a long shared prefix does not make any two names look alike', () => {
    const topics = ['acme.retail.orders._public.order_placed', 'acme.retail.orders._protected.order_payment'];
    expect(nearest('acme.retail.orders._public.order_placd', topics)).toBe('acme.retail.orders._public.order_placed');
    expect(nearest('acme.retail.orders._public.order_cancelled', topics)).toBeUndefined();
    expect(nearest('acme.finance.billng', ['acme.finance.billing', 'acme.finance.ledger'])).toBe('acme.finance.billing');
    expect(nearest('acme.finance.payroll', ['acme.finance.billing', 'acme.finance.ledger'])).toBeUndefined();
  });

  it('didYouMean phrases it, in the caller\'s notation', () => {
    expect(didYouMean('acme.finance.billng', ['acme.finance.billing'], (id) => `urn:${id.replace(/\./g, ':')}`)).toBe(' (did you mean urn:acme:finance:billing?)');
    expect(didYouMean('zzz', ['acme'])).toBe('');
  });
});
