/**
 * meshform's local compatibility checks (used by `meshform breaking` and before a level change)
 * against the real registry's verdicts, case by case and level by level. The registry is the
 * oracle: each schema pair is registered under a fresh subject with the level set, then checked
 * through the registry's own compatibility endpoint with plain HTTP.
 */
import { compatibilityProblems } from '../../src/schemas';
import { describeWithPeer } from '@meshform/peers/testing/peers';
import { startRealRegistry, type RealRegistry } from '@meshform/peers/testing/real-registry';
import { expectRecorded } from '../support/recorded';
import { EVOLUTIONS, KNOWN_DIFFERENCES, LEVELS, VERDICTS_FILE, verdictLine } from './compat-cases';

const HEADERS = { 'Content-Type': 'application/vnd.schemaregistry.v1+json' };

describeWithPeer('registry', 'local compatibility checks agree with the registry', (peer) => {
  let registry: RealRegistry;
  beforeAll(async () => {
    registry = await startRealRegistry(peer.home);
  }, 120_000);
  afterAll(() => registry?.stop());

  async function registryVerdict(subject: string, type: string, before: string, after: string, level: string): Promise<boolean> {
    const post = (route: string, body: unknown, method = 'POST') => fetch(`${registry.url}${route}`, { method, headers: HEADERS, body: JSON.stringify(body) });
    const registered = await post(`/subjects/${subject}/versions`, { schema: before, schemaType: type });
    expect(registered.status).toBe(200);
    expect((await post(`/config/${subject}`, { compatibility: level }, 'PUT')).status).toBe(200);
    const check = await post(`/compatibility/subjects/${subject}/versions`, { schema: after, schemaType: type });
    return ((await check.json()) as { is_compatible: boolean }).is_compatible;
  }

  const cases = EVOLUTIONS.flatMap((c) => LEVELS.map((level) => [`${c.name} ${level}`, c, level] as const));
  /** The registry's verdicts, kept (test/schemas/recorded/registry-verdicts.txt) for the suite that runs without it. */
  const verdicts: string[] = [];
  let n = 0;
  it.each(cases)('%s', async (title, c, level) => {
    const text = (v: unknown) => (c.type === 'PROTOBUF' ? String(v) : JSON.stringify(v));
    const theirs = await registryVerdict(`oracle-${n++}-value`, c.type, text(c.before), text(c.after), level);
    verdicts.push(verdictLine(title, theirs));
    const ours = compatibilityProblems(c.type, level, c.before, c.after);
    if (KNOWN_DIFFERENCES.has(title)) {
      expect({ registry: theirs, meshform: ours.length === 0 }).toEqual({ registry: true, meshform: false });
    } else {
      expect({ compatible: ours.length === 0, problems: ours }).toEqual({ compatible: theirs, problems: theirs ? [] : expect.any(Array) });
    }
  });

  it("the recorded verdicts are the registry's (MESHFORM_RECORD=1 rewrites them: review the diff)", () => {
    expect(verdicts).toHaveLength(cases.length);
    expectRecorded(VERDICTS_FILE, [...verdicts].sort().join('\n'));
  });
});
