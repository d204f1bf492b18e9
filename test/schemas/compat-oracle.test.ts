/**
 * meshform's local compatibility checks (used by `meshform breaking` and before a level change)
 * against the real registry's verdicts, case by case and level by level. The registry is the
 * oracle: each schema pair is registered under a fresh subject with the level set, then checked
 * through the registry's own compatibility endpoint with plain HTTP.
 */
import { compatibilityProblems } from '../../src/schemas';
import { describeWithPeer } from '@meshform/peers/testing/peers';
import { startRealRegistry, type RealRegistry } from '@meshform/peers/testing/real-registry';
import { EVOLUTIONS } from './compat-cases';

const LEVELS = ['BACKWARD', 'FORWARD', 'FULL'] as const;
const HEADERS = { 'Content-Type': 'application/vnd.schemaregistry.v1+json' };

/**
 * Where Apicurio 3.0.9 and meshform knowingly differ: its FULL level for Protobuf checks one
 * direction only (a field added or removed passes FULL although it fails FORWARD or BACKWARD);
 * meshform checks both directions, as FULL means.
 */
const KNOWN_DIFFERENCES = new Set(['protobuf: field added FULL', 'protobuf: field removed FULL']);

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
  let n = 0;
  it.each(cases)('%s', async (title, c, level) => {
    const text = (v: unknown) => (c.type === 'PROTOBUF' ? String(v) : JSON.stringify(v));
    const theirs = await registryVerdict(`oracle-${n++}-value`, c.type, text(c.before), text(c.after), level);
    const ours = compatibilityProblems(c.type, level, c.before, c.after);
    if (KNOWN_DIFFERENCES.has(title)) {
      expect({ registry: theirs, meshform: ours.length === 0 }).toEqual({ registry: true, meshform: false });
    } else {
      expect({ compatible: ours.length === 0, problems: ours }).toEqual({ compatible: theirs, problems: theirs ? [] : expect.any(Array) });
    }
  });
});
