/**
 * The hostile-text catalog fixture (test/fixtures/catalog/hostile-text): what each field says, as
 * written in the specs, and on which page it must show as text. Written by hand from the fixture.
 */
import { join } from 'node:path';
import { ROOT } from './support';

export const HOSTILE_MESH = join(ROOT, 'test', 'fixtures', 'catalog', 'hostile-text');

/** Texts the product page of acme.hostile.orders shows, each exactly as the spec writes it. */
export const ORDERS_TEXTS: readonly string[] = [
  "Orders <script>window.__xss = 'title'</script>",
  `Orders <img src=x onerror="window.__xss = 'description'"> & </p><h1>"quoted"</h1>`,
  "user:o'brien&co=x/y@acme.com",
  `Placed <svg onload="window.__xss = 'channel'"></svg>`,
  "Placed<script>window.__xss = 'message name'</script>",
  `Title <iframe src="javascript:window.__xss = 'message title'"></iframe>`,
  `Summary <object data="javascript:window.__xss = 'summary'"></object>`,
  'Description <style>body{display:none}</style>',
  `Field doc <img src=x onerror="window.__xss = 'field doc'">`,
  // Enum values and examples show as JSON values (strings quoted, inner quotes escaped).
  JSON.stringify("<script>window.__xss = 'enum'</script>"),
  JSON.stringify(`"><img src=x onerror="window.__xss = 'enum attr'">`),
  JSON.stringify(`<svg onload="window.__xss = 'example'">`),
];

/** Markup from the fixture that must never appear unescaped in any page (it would be an element). */
export const NEVER_RAW: readonly string[] = ['<script>window.__xss', '<img src=x', '<svg onload', '<iframe', '<object', '<style>body', '<b onmouseover', '<i onclick', '<a href="javascript'];
