import * as path from 'node:path';
import { VALID } from './corpus';
import { DIFFERENTIAL_FILES, SPECS_FOLDER, differentialTests } from './differential';

differentialTests('the valid corpus and the example specs', DIFFERENTIAL_FILES.filter((f) => f.startsWith(VALID + path.sep) || f.startsWith(SPECS_FOLDER + path.sep)));
