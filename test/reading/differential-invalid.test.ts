import * as path from 'node:path';
import { INVALID } from './corpus';
import { DIFFERENTIAL_FILES, differentialTests } from './differential';

differentialTests('the invalid corpus', DIFFERENTIAL_FILES.filter((f) => f.startsWith(INVALID + path.sep)));
