/**
 * Every verb group, in the order `meshform --help` lists them. A new verb: one module here that
 * registers its commands (see validate.ts; lazy-require heavy implementations as kafka.ts does)
 * and one line in this list.
 */
import type { CommandGroup } from '../program';
import { register as access } from './access';
import { register as catalog } from './catalog';
import { register as crossplane } from './crossplane';
import { register as dev } from './dev';
import { register as exporters } from './export';
import { register as init } from './init';
import { register as kafka } from './kafka';
import { register as plan } from './plan';
import { register as breaking } from './breaking';
import { register as schemas } from './schemas';
import { register as stacks } from './stacks';
import { register as validate } from './validate';
import { register as verify } from './verify';

export const COMMAND_GROUPS: readonly CommandGroup[] = [init, validate, plan, access, stacks, kafka, schemas, crossplane, breaking, verify, catalog, exporters, dev];
