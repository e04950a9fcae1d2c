// Cuts a Markdown document into sections by its headings, so that every chunk knows where it sits
// ('奖励规则 > 团队奖'): a chunk cited without its heading reads like a rule of the whole shop.
// LangChain JS has no Markdown header splitter (Python's MarkdownHeaderTextSplitter), hence this.

export interface MarkdownSection {
  /** Headings from level 2 down to this section; empty before the first `##`. */
  headingPath: string[];
  body: string;
}

const HEADING = /^(#{1,6})[ \t]+(.+?)[ \t#]*$/;
const FENCE = /^\s*(```|~~~)/;

/** The first level-1 heading: a document's title when none is given. */
export function markdownTitle(markdown: string): string | undefined {
  let inFence = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (FENCE.test(line)) inFence = !inFence;
    const m = inFence ? null : HEADING.exec(line);
    if (m && m[1] === '#') return m[2]!.trim();
  }
  return undefined;
}

/**
 * Sections in document order, without empty ones. Level-1 headings are the title (stored on the
 * document), so they start a new section but do not enter the path. Lines inside code fences are
 * text, whatever they start with.
 */
export function markdownSections(markdown: string): MarkdownSection[] {
  const sections: MarkdownSection[] = [];
  // path[i] is the heading of level i + 2
  const path: string[] = [];
  let lines: string[] = [];
  let inFence = false;
  const flush = () => {
    const body = lines.join('\n').trim();
    if (body) sections.push({ headingPath: path.filter(Boolean), body });
    lines = [];
  };
  for (const line of markdown.split(/\r?\n/)) {
    if (FENCE.test(line)) inFence = !inFence;
    const m = inFence ? null : HEADING.exec(line);
    if (!m) {
      lines.push(line);
      continue;
    }
    flush();
    const level = m[1]!.length;
    if (level === 1) {
      path.length = 0;
      continue;
    }
    path.length = level - 2;
    path[level - 2] = m[2]!.trim();
  }
  flush();
  return sections;
}
