/**
 * A channel's own `x-meshform`: what the topic's contract promises beyond its schemas.
 *
 * ```yaml
 * channels:
 *   placed:
 *     x-meshform:
 *       compatibility: FULL   # the schema subjects' level (owner)
 *       freshness: PT15M      # the newest record is never older than this (owner; ISO-8601 duration)
 *       maxLag: 10000         # records a consuming product's group may be behind (owner: every consumer;
 *                             # on a channel the product receives from: its own limit)
 * ```
 *
 * `meshform verify` checks freshness and lag on the live cluster, `meshform export alerts` writes
 * them as alert rules.
 */
import { parse as parseDuration, toSeconds } from 'iso8601-duration';
import { type Diagnostic, type SourceLocation, error, warning } from '../vocabulary/diagnostics';
import { COMPATIBILITY_LEVELS, type Compatibility, isCompatibility } from '../schemas';
import { CODES } from '../vocabulary/codes';
import type { Freshness } from '../vocabulary/mesh';
import { didYouMean, quoted } from '../suggest';
import { isRecord } from './extension';
import { type Located, type SourceLoader, followPath } from './refs';
import { locate } from './source';

export const CHANNEL_KEYS = ['compatibility', 'freshness', 'maxLag'] as const;

export interface ChannelSettings {
  compatibility?: Compatibility;
  freshness?: Freshness;
  maxLag?: number;
  /** Where maxLag is written (freshness carries its own place). */
  maxLagLocation?: SourceLocation;
}

/**
 * @param owned the product owns the topic (its channel is relative or it sends to it); otherwise it
 *   receives from another product's topic, where only `maxLag` means something
 */
export function readChannelSettings(channel: Located, owned: boolean, root: string, load: SourceLoader, diagnostics: Diagnostic[]): ChannelSettings {
  const ext = followPath(channel, ['x-meshform'], root, load);
  if (!ext) return {};
  const at = (key: string, options?: { key?: boolean }) => locate(ext.source, [...ext.path, key], options);
  if (!isRecord(ext.value)) {
    diagnostics.push(error(CODES.metaInvalid, "the channel's x-meshform must be an object, e.g. {compatibility: FULL, freshness: PT15M}", locate(ext.source, ext.path)));
    return {};
  }
  const settings: ChannelSettings = {};
  for (const key of Object.keys(ext.value)) {
    if (!(CHANNEL_KEYS as readonly string[]).includes(key)) {
      diagnostics.push(error(CODES.metaInvalid, `unknown key "${key}" in the channel's x-meshform${didYouMean(key, CHANNEL_KEYS, quoted)} (known: ${CHANNEL_KEYS.join(', ')})`, at(key, { key: true })));
    } else if (!owned && key !== 'maxLag') {
      diagnostics.push(warning(CODES.settingIgnored, `${key} on a channel this product only receives from is ignored: the topic's owner sets it in its own spec (a consumer may set maxLag)`, at(key, { key: true })));
    }
  }
  const { compatibility, freshness, maxLag } = ext.value;
  if (owned && compatibility !== undefined) {
    if (isCompatibility(compatibility)) settings.compatibility = compatibility;
    else diagnostics.push(error(CODES.schemaCompatibility, `compatibility must be one of ${COMPATIBILITY_LEVELS.join(', ')}, got ${JSON.stringify(compatibility)}`, at('compatibility')));
  }
  if (owned && freshness !== undefined) {
    const read = readFreshness(freshness);
    if (typeof read === 'string') diagnostics.push(error(CODES.expectationInvalid, read, at('freshness')));
    else settings.freshness = { ...read, location: at('freshness') };
  }
  if (maxLag !== undefined) {
    if (typeof maxLag === 'number' && Number.isSafeInteger(maxLag) && maxLag >= 0) Object.assign(settings, { maxLag, maxLagLocation: at('maxLag') });
    else diagnostics.push(error(CODES.expectationInvalid, `maxLag must be a whole number of records (0 or more), got ${JSON.stringify(maxLag)}`, at('maxLag')));
  }
  return settings;
}

/** An ISO-8601 duration of weeks, days, hours, minutes and seconds, or why it is not one. */
export function readFreshness(value: unknown): Freshness | string {
  const example = 'an ISO-8601 duration such as PT15M, PT1H or P1D';
  if (typeof value !== 'string') return `freshness must be ${example}, got ${JSON.stringify(value)}`;
  let parsed: ReturnType<typeof parseDuration>;
  try {
    parsed = parseDuration(value);
  } catch {
    return `freshness "${value}" is not ${example}${/^\d+\s*[smhd]$/i.test(value.trim()) ? ` (did you mean ${suggestDuration(value.trim())}?)` : ''}`;
  }
  if (parsed.years || parsed.months) return `freshness "${value}" counts years or months, whose length varies: use weeks or days (P30D)`;
  const seconds = toSeconds(parsed);
  if (!(seconds > 0)) return `freshness "${value}" is zero: give the longest time the topic may go without a new record`;
  return { duration: value, seconds };
}

/** `15m` -> `PT15M`, `1d` -> `P1D`. */
function suggestDuration(short: string): string {
  const [, amount, unit] = /^(\d+)\s*([smhd])$/i.exec(short)!;
  return unit.toLowerCase() === 'd' ? `P${amount}D` : `PT${amount}${unit.toUpperCase()}`;
}
