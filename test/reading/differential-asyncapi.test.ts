import * as path from 'node:path';
import { FIXTURES } from './corpus';
import { DIFFERENTIAL_FILES, differentialTests } from './differential';

const corpus = path.join(FIXTURES, 'asyncapi-differential') + path.sep;

it('the split differential tests cover the valid, invalid and differential corpora', () => {
  expect(DIFFERENTIAL_FILES.length).toBeGreaterThan(50);
});

differentialTests('the AsyncAPI differential corpus', DIFFERENTIAL_FILES.filter((f) => f.startsWith(corpus)));
