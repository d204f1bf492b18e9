/**
 * The Confluent Schema Registry REST API, the subset every compatible registry serves (Confluent,
 * Karapace, Redpanda, Apicurio's `/apis/ccompat/v7`): subjects, versions, lookup, compatibility
 * checks and per-subject config. Basic auth from the settings: the password is a Secret, revealed
 * only to build the Authorization header. Messages are made of meshform's words, the URL (which
 * never carries credentials), HTTP statuses, network error codes and the registry's own
 * `message` from a JSON error body; a body that is not the registry's JSON is never shown, nor is
 * any header, and a registry message that repeats the credentials sent is withheld whole.
 */
import type { Compatibility, SchemaType } from '../../schemas/types';
import type { SchemaReference } from '../../plan/types';
import { REGISTRY_ENV } from '../../stack/keys';
import type { SchemaRegistrySettings } from '../../stack/types';
import type { Secret } from '../../vocabulary/secret';

export interface RegistryConnection {
  /** Base URL without a trailing slash. */
  url: string;
  username?: string;
  password?: Secret;
}

/** The registry cannot be used at all (unreachable, credentials refused, no URL): a configuration problem, exit 2. */
export class RegistryUnavailable extends Error {}

/**
 * One request failed: what meshform asked, the HTTP status, and `detail`: the registry's
 * `message` from its JSON error body (with `errorCode`, its `error_code`), or what meshform says
 * instead of a body it does not show.
 */
export class RegistryRequestError extends Error {
  constructor(
    readonly what: string,
    readonly status: number,
    readonly errorCode?: number,
    readonly detail?: string,
  ) {
    super(`${what}: ${detail ?? `HTTP ${status}`}${errorCode !== undefined ? ` (error ${errorCode})` : ` (HTTP ${status})`}`);
  }
}

export interface ConnectionOverrides {
  url?: string;
}

/** `--registry`, else MESHFORM_SCHEMA_REGISTRY_URL, else the stack (the stack loader already applied the environment). */
export function resolveRegistry(settings: SchemaRegistrySettings, overrides: ConnectionOverrides = {}): RegistryConnection | undefined {
  const url = (overrides.url ?? settings.url)?.replace(/\/+$/, '');
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RegistryUnavailable(`bad schema registry URL "${url}": expected http(s)://host:port[/path]`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new RegistryUnavailable(`bad schema registry URL "${url}": expected http:// or https://`);
  if (parsed.username || parsed.password) {
    throw new RegistryUnavailable(`the schema registry URL must not carry credentials: set ${REGISTRY_ENV.username} and ${REGISTRY_ENV.password}`);
  }
  if ((settings.username === undefined) !== (settings.password === undefined)) {
    throw new RegistryUnavailable(`schema registry basic auth needs both a username and a password (${REGISTRY_ENV.username}, ${REGISTRY_ENV.password})`);
  }
  return { url, ...(settings.username !== undefined && { username: settings.username, password: settings.password }) };
}

export function describeRegistry(connection: RegistryConnection): string {
  return `${connection.url} (${connection.username ? `basic auth as ${connection.username}` : 'no auth'})`;
}

export interface SchemaBody {
  schema: string;
  schemaType: SchemaType;
  references: SchemaReference[];
}

export interface RegisteredVersion {
  subject: string;
  version: number;
  id: number;
  schema: string;
  schemaType: SchemaType;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export class RegistryClient {
  /** Requests sent, by `METHOD path-pattern` (for tests and the bench). */
  readonly requests: string[] = [];

  constructor(
    private readonly connection: RegistryConnection,
    private readonly options: { timeoutMs?: number } = {},
  ) {}

  /** `user:password`, the credentials as Basic auth sends them (the one place the password is revealed). */
  private basicCredentials(): string | undefined {
    const { username, password } = this.connection;
    return username === undefined ? undefined : `${username}:${password?.reveal() ?? ''}`;
  }

  /**
   * The registry's words, when they do not repeat the credentials sent (a proxy or a debugging
   * endpoint reflecting the Authorization header): then the message is withheld whole, never edited.
   * Control characters become spaces, so a message is one line that cannot drive a terminal.
   */
  private registryWords(text: string): string | undefined {
    const credentials = this.basicCredentials();
    if (credentials !== undefined && (text.includes(credentials) || text.includes(Buffer.from(credentials).toString('base64')))) return undefined;
    // eslint-disable-next-line no-control-regex
    return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
  }

  private async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = { Accept: `${CONTENT_TYPE}, application/json` };
    if (body !== undefined) headers['Content-Type'] = CONTENT_TYPE;
    const credentials = this.basicCredentials();
    if (credentials !== undefined) headers.Authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    this.requests.push(`${method} ${path.replace(/\/subjects\/[^/?]+/, '/subjects/{subject}').replace(/\/config\/[^/?]+/, '/config/{subject}').replace(/\/schemas\/ids\/\d+/, '/schemas/ids/{id}').replace(/\?.*$/, '')}`);
    let res: Response;
    try {
      res = await fetch(`${this.connection.url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (e) {
      // Node's words about the network (a code such as ECONNREFUSED when it has one): never given the credentials.
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = (e as Error).name === 'TimeoutError' ? 'timed out' : cause?.code ?? cause?.message ?? (e as Error).message;
      throw new RegistryUnavailable(`cannot reach the schema registry at ${this.connection.url}: ${why}`);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not the registry's JSON (a proxy's page, an echo of the request): measured, never shown
      parsed = new OtherBody(Buffer.byteLength(text));
    }
    if (res.status === 401 || res.status === 403) {
      throw new RegistryUnavailable(`the schema registry at ${this.connection.url} refused the credentials (HTTP ${res.status}); check ${REGISTRY_ENV.username}/${REGISTRY_ENV.password}`);
    }
    return { status: res.status, body: parsed };
  }

  private failure(what: string, status: number, body: unknown): RegistryRequestError {
    if (body instanceof OtherBody) return new RegistryRequestError(what, status, undefined, `an answer that is not the registry's JSON (${body.bytes} bytes, not shown)`);
    const b = body as { message?: unknown; error_code?: unknown } | undefined;
    const code = typeof b?.error_code === 'number' ? b.error_code : undefined;
    if (typeof b?.message !== 'string') return new RegistryRequestError(what, status, code);
    return new RegistryRequestError(what, status, code, this.registryWords(b.message) ?? WITHHELD);
  }

  async subjects(): Promise<string[]> {
    const { status, body } = await this.call('GET', '/subjects');
    if (status !== 200 || !Array.isArray(body)) throw new RegistryUnavailable(this.failure('listing subjects', status, body).message);
    return body.filter((s): s is string => typeof s === 'string');
  }

  /** The version holding exactly this schema, or undefined (subject or schema not found). */
  async lookup(subject: string, schema: SchemaBody): Promise<RegisteredVersion | undefined> {
    const { status, body } = await this.call('POST', `/subjects/${encodeURIComponent(subject)}`, schema);
    if (status === 404) return undefined;
    if (status !== 200) throw this.failure(`looking up ${subject}`, status, body);
    return registered(body, schema.schemaType);
  }

  async latest(subject: string): Promise<RegisteredVersion | undefined> {
    const { status, body } = await this.call('GET', `/subjects/${encodeURIComponent(subject)}/versions/latest`);
    if (status === 404) return undefined;
    if (status !== 200) throw this.failure(`reading the latest version of ${subject}`, status, body);
    return registered(body, 'AVRO');
  }

  /** The subject's own compatibility level, or undefined when it has none (or does not exist). */
  async compatibility(subject: string): Promise<Compatibility | undefined> {
    const { status, body } = await this.call('GET', `/config/${encodeURIComponent(subject)}`);
    if (status === 404) return undefined;
    if (status !== 200) throw this.failure(`reading the compatibility of ${subject}`, status, body);
    const b = body as { compatibilityLevel?: unknown; compatibility?: unknown };
    const level = b.compatibilityLevel ?? b.compatibility;
    return typeof level === 'string' ? (level as Compatibility) : undefined;
  }

  async setCompatibility(subject: string, level: Compatibility): Promise<void> {
    const { status, body } = await this.call('PUT', `/config/${encodeURIComponent(subject)}`, { compatibility: level });
    if (status !== 200) throw this.failure(`setting the compatibility of ${subject} to ${level}`, status, body);
  }

  /**
   * The registry's verdict on registering `schema` under the subject's configured level (against
   * the latest version, or all versions for a transitive level). `messages` when the registry gives them.
   */
  async checkCompatibility(subject: string, schema: SchemaBody): Promise<{ compatible: boolean; messages: string[] }> {
    const { status, body } = await this.call('POST', `/compatibility/subjects/${encodeURIComponent(subject)}/versions?verbose=true`, schema);
    if (status === 404) return { compatible: true, messages: [] };
    if (status !== 200) throw this.failure(`checking ${subject}`, status, body);
    const b = body as { is_compatible?: unknown; messages?: unknown };
    const messages = Array.isArray(b.messages) ? b.messages.map((m) => this.registryWords(typeof m === 'string' ? m : JSON.stringify(m)) ?? WITHHELD) : [];
    return { compatible: b.is_compatible === true, messages };
  }

  /** Registers the schema; a 409 (incompatible) is a RegistryRequestError carrying the registry's reason. */
  async register(subject: string, schema: SchemaBody): Promise<{ id: number }> {
    const { status, body } = await this.call('POST', `/subjects/${encodeURIComponent(subject)}/versions`, schema);
    if (status !== 200) throw this.failure(`registering ${subject}`, status, body);
    return { id: Number((body as { id?: unknown }).id) };
  }

  /** The schema registered under `id` (what a framed record names), or undefined when the registry has none. */
  async schemaById(id: number): Promise<{ schema: string; schemaType: SchemaType; references: SchemaReference[] } | undefined> {
    const { status, body } = await this.call('GET', `/schemas/ids/${id}`);
    if (status === 404) return undefined;
    if (status !== 200) throw this.failure(`reading schema id ${id}`, status, body);
    const b = body as { schema?: unknown; schemaType?: unknown; references?: unknown };
    return {
      schema: String(b.schema ?? ''),
      schemaType: (typeof b.schemaType === 'string' ? b.schemaType : 'AVRO') as SchemaType,
      references: Array.isArray(b.references) ? (b.references as SchemaReference[]) : [],
    };
  }

  /** The subjects and versions that hold schema `id`. */
  async versionsOfId(id: number): Promise<Array<{ subject: string; version: number }>> {
    const { status, body } = await this.call('GET', `/schemas/ids/${id}/versions`);
    if (status === 404) return [];
    if (status !== 200 || !Array.isArray(body)) throw this.failure(`reading the subjects of schema id ${id}`, status, body);
    return body.map((v: { subject?: unknown; version?: unknown }) => ({ subject: String(v.subject), version: Number(v.version) }));
  }

  /** Soft delete (the registry keeps the versions, as Confluent's first DELETE does). */
  async deleteSubject(subject: string): Promise<void> {
    const { status, body } = await this.call('DELETE', `/subjects/${encodeURIComponent(subject)}`);
    if (status !== 200 && status !== 404) throw this.failure(`deleting ${subject}`, status, body);
  }
}

const WITHHELD = "the registry's message is not shown: it repeats the credentials meshform sent";

/** A response body that is not JSON: only its size is ever told (neither its text nor a header). */
class OtherBody {
  constructor(readonly bytes: number) {}
}

function registered(body: unknown, defaultType: SchemaType): RegisteredVersion {
  const b = body as Partial<RegisteredVersion>;
  return {
    subject: String(b.subject ?? ''),
    version: Number(b.version),
    id: Number(b.id),
    schema: String(b.schema ?? ''),
    schemaType: (b.schemaType ?? defaultType) as SchemaType,
  };
}
