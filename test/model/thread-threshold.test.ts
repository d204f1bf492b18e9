/**
 * When spec files are checked in threads: from 500 files when threads are asked for
 * (`MESHFORM_WORKERS` set) or the machine has more than two cores; on two cores by default only
 * from 5,000 (src/model/index.ts gives the measurements). Expected values written by hand.
 */
import { minFilesForThreads } from '../../src/model';

describe('minFilesForThreads', () => {
  it.each([
    [{}, 1, 5000],
    [{}, 2, 5000],
    [{}, 3, 500],
    [{}, 8, 500],
    [{ MESHFORM_WORKERS: '2' }, 2, 500],
    [{ MESHFORM_WORKERS: '1' }, 1, 500],
    [{ MESHFORM_WORKERS: ' ' }, 2, 5000],
    [{ MESHFORM_WORKERS: '' }, 2, 5000],
  ])('env %j on %i cores: from %i files', (env, cores, expected) => {
    expect(minFilesForThreads(env as NodeJS.ProcessEnv, cores)).toBe(expected);
  });
});
