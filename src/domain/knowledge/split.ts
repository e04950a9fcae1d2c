// Splits a knowledge document into chunks small enough to cite, with LangChain's recursive splitter:
// first by the Markdown headings (markdown.ts), then inside a section by paragraphs, lines and
// Chinese sentence punctuation, so a chunk ends at the end of a sentence whenever it can.
import { Document } from '@langchain/core/documents';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { KnowledgeInput } from './document.ts';
import { markdownSections } from './markdown.ts';

export interface ChunkMetadata {
  docKey: string;
  title: string;
  /** Heading path, '奖励规则 > 团队奖'; '' for text before the first heading. */
  heading: string;
  ordinal: number;
}

export type KnowledgeChunk = Document<ChunkMetadata>;

/** Bump when the splitting changes: stored documents then count as changed and are re-split. */
export const SPLITTER_VERSION = 'md-zh-v1';

// Characters, not tokens: a Chinese character is roughly one token, and 400 of them hold a rule
// with its conditions; the overlap carries the previous sentence into the next chunk.
const CHUNK_SIZE = 400;
const CHUNK_OVERLAP = 60;

export const SEPARATORS = ['\n## ', '\n### ', '\n\n', '\n', '。', '！', '？', '；', '，', ' ', ''];

// Punctuation that ends a sentence or clause: it belongs to the text before it, with any closing
// quotes or brackets that follow it (…退款。」).
const CLAUSE_ENDS = new Set(['。', '！', '？', '；', '，']);
const CLOSERS = '”’」』）)》';

/**
 * LangChain JS keeps a separator at the start of the next piece (Python can keep it at the end);
 * for Chinese punctuation that would open a chunk with "。", so those split after the mark instead.
 */
class ChineseMarkdownSplitter extends RecursiveCharacterTextSplitter {
  protected override splitOnSeparator(text: string, separator: string): string[] {
    if (!CLAUSE_ENDS.has(separator)) return super.splitOnSeparator(text, separator);
    const afterMark = new RegExp(`(?<=${separator}[${CLOSERS}]*)(?![${CLOSERS}])`, 'u');
    return text.split(afterMark).filter((s) => s !== '');
  }
}

const splitter = new ChineseMarkdownSplitter({
  chunkSize: CHUNK_SIZE,
  chunkOverlap: CHUNK_OVERLAP,
  separators: SEPARATORS,
  keepSeparator: true,
});

/** One LangChain Document per Markdown section, carrying the document's identity and the heading. */
export function sectionDocuments(input: KnowledgeInput): Document<Omit<ChunkMetadata, 'ordinal'>>[] {
  return markdownSections(input.content).map(
    (s) =>
      new Document({
        pageContent: s.body,
        metadata: { docKey: input.docKey, title: input.title.trim(), heading: s.headingPath.join(' > ') },
      }),
  );
}

/** The document's chunks in reading order, numbered from 0. */
export async function splitKnowledge(input: KnowledgeInput): Promise<KnowledgeChunk[]> {
  const pieces = await splitter.splitDocuments(sectionDocuments(input));
  return pieces.map(
    (p, ordinal) =>
      new Document<ChunkMetadata>({
        pageContent: p.pageContent,
        // drop LangChain's loc.lines: they count lines within a section, which would mislead
        metadata: {
          docKey: String(p.metadata.docKey),
          title: String(p.metadata.title),
          heading: String(p.metadata.heading),
          ordinal,
        },
      }),
  );
}
