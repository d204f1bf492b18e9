/**
 * An access request as the change itself: which spec declares the topic, whether a grant can and
 * must be added (public topics need none, private ones take none, an existing grant is not added
 * twice), and the edited spec with its diff. Pure apart from reading the owner's spec file.
 */
import { readFileSync } from 'node:fs';
import { structuredPatch } from 'diff';
import { nearest } from '../suggest';
import { domainIdOf, urnOf } from '../reading/urn';
import type { Mesh, Product, Topic } from '../vocabulary/mesh';
import { addGrantTag, GrantEditError } from './grant-edit';

export type AccessKind = 'read' | 'write';

export interface AccessRequest {
  topic: string;
  /** The requesting product's urn. */
  requester: string;
  kind: AccessKind;
}

export interface RequestedEdit {
  owner: Product;
  topic: Topic;
  /** The spec file as the model names it (relative to the working directory when inside it). */
  file: string;
  /** The tag added: `grant-access:urn:...` or `grant-write:urn:...`. */
  tag: string;
  before: string;
  after: string;
}

/** Why the request is not turned into an edit: said to the requester, exit 1. */
export class RequestRefused extends Error {}

/** Finds the topic's owner and spec, refuses what needs or takes no grant, and edits the spec text. */
export function requestEdit(mesh: Mesh, request: AccessRequest, readText: (file: string) => string = (f) => readFileSync(f, 'utf8')): RequestedEdit {
  const requesterId = domainIdOf(request.requester);
  const owner = mesh.products.find((p) => p.topics.some((t) => t.name === request.topic));
  if (!owner) {
    const names = mesh.products.flatMap((p) => p.topics.map((t) => t.name));
    const near = nearest(request.topic, names);
    throw new RequestRefused(`no spec declares topic ${request.topic}${near ? ` (did you mean ${near}?)` : ''}`);
  }
  const topic = owner.topics.find((t) => t.name === request.topic)!;
  const grantee = urnOf(requesterId);
  if (owner.id === requesterId) throw new RequestRefused(`${topic.name} is ${owner.id}'s own topic: its owner reads and writes it without a grant`);
  if (request.kind === 'read') {
    if (topic.visibility === 'public') throw new RequestRefused(`${topic.name} is public: every product may read it already, no grant is needed`);
    if (topic.visibility === 'private') throw new RequestRefused(`${topic.name} is private: private topics are owner-only and take no grant; ask ${owner.id}'s owners to publish what you need on a _protected or _public topic`);
    const existing = topic.grants.find((g) => g.grantee === requesterId);
    if (existing) throw new RequestRefused(`${grantee} may read ${topic.name} already: granted at ${where(existing.location)}`);
  } else {
    if (topic.visibility !== 'protected') {
      throw new RequestRefused(`${topic.name} is ${topic.visibility}: only a _protected topic takes writes from other products (an input topic); ask ${owner.id}'s owners for one`);
    }
    const existing = topic.writeGrants?.find((g) => g.grantee === requesterId);
    if (existing) throw new RequestRefused(`${grantee} may write to ${topic.name} already: granted at ${where(existing.location)}`);
  }
  // SpecMesh's own form names the grantee by domain id; its tools read no urn there.
  const tag = `${request.kind === 'read' ? 'grant-access' : 'grant-write'}:${owner.dialect === 'specmesh' ? requesterId : grantee}`;
  // The file that writes the channel: the owner's spec, or a file its `$ref` points into.
  const file = topic.location.file;
  const before = readText(file);
  let after: string;
  try {
    after = addGrantTag({
      text: before,
      json: /\.json$/i.test(file),
      line: topic.location.line,
      col: topic.location.col,
      asyncapiVersion: owner.asyncapiVersion,
      sendAction: owner.dialect === 'specmesh' ? 'publish' : 'subscribe',
      tag,
    }).text;
  } catch (e) {
    if (e instanceof GrantEditError) throw new RequestRefused(`cannot add ${tag} to ${file} safely: ${e.message}`);
    throw e;
  }
  return { owner, topic, file, tag, before, after };
}

function where(location: { file: string; line: number; col: number }): string {
  return `${location.file}:${location.line}:${location.col}`;
}

/** `diff --git a/<path> b/<path>` and its hunks: what `git apply` takes. */
export function gitDiff(path: string, before: string, after: string): string {
  const patch = structuredPatch(`a/${path}`, `b/${path}`, before, after, '', '', { context: 3 });
  const lines = [`diff --git a/${path} b/${path}`, `--- a/${path}`, `+++ b/${path}`];
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines);
  }
  return `${lines.join('\n')}\n`;
}

/** The diff as one mail (`git format-patch`'s form), so the owners can `git am` it as a commit. */
export function mailPatch(diff: string, subject: string, body: string, author: string, date: Date): string {
  return [
    'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001',
    `From: ${author}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Subject: [PATCH] ${subject}`,
    '',
    body,
    '---',
    diff.trimEnd(),
    '-- ',
    'meshform',
    '',
  ].join('\n');
}
