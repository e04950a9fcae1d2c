// What a knowledge document is, and what of it is hashed, embedded and matched by words. Pure.
import { createHash } from 'node:crypto';
import { termSet } from '../../embed/tokenize.ts';
import { Invalid } from '../../errors.ts';

export interface KnowledgeInput {
  /** A slug naming the document within the shop, e.g. 'return-policy'. */
  docKey: string;
  title: string;
  /** Markdown. */
  content: string;
  /** Where it came from (a file name, 'admin'); informational only. */
  source?: string;
}

export const DOC_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const MAX_TITLE_CHARS = 200;
/** A rules document is a few thousand characters; this bounds the embedding work of one import. */
export const MAX_CONTENT_CHARS = 200_000;

/** Refuses what the table would refuse, with a message for people instead of a constraint name. */
export function checkKnowledgeInput(input: KnowledgeInput): void {
  if (!DOC_KEY_PATTERN.test(input.docKey)) {
    throw new Invalid('docKey must be a slug: lowercase letters, digits and dashes, at most 64 characters');
  }
  const title = input.title.trim();
  if (!title || title.length > MAX_TITLE_CHARS) throw new Invalid(`title must have 1 to ${MAX_TITLE_CHARS} characters`);
  if (!input.content.trim()) throw new Invalid('content is empty');
  if (input.content.length > MAX_CONTENT_CHARS) throw new Invalid(`content is longer than ${MAX_CONTENT_CHARS} characters`);
}

/**
 * Changes when anything that shapes the stored chunks changes: the text, the title (embedded with
 * every chunk), the splitting, or the embedder. Same hash → the stored chunks are still right.
 */
export function documentHash(input: KnowledgeInput, splitterVersion: string, embedderId: string): string {
  return createHash('sha256')
    .update(JSON.stringify([embedderId, splitterVersion, input.title.trim(), input.content]))
    .digest('hex');
}

export interface ChunkText {
  title: string;
  heading: string;
  content: string;
}

/** The text a chunk's vector is made from: where it sits first, so "团队奖" in a heading counts. */
export function chunkEmbeddingText(c: ChunkText): string {
  return [c.title, c.heading, c.content].filter(Boolean).join('\n');
}

/** knowledge_chunks.search_terms: the distinct words of title, heading and content. */
export function chunkTerms(c: ChunkText): string[] {
  return termSet(c.title, c.heading, c.content);
}
