// Replies that need no account data: shop rules quoted from searchKnowledge, small talk, refusals
// (out of scope, prompt injection) and the fallback when a message is not understood.
import { looksLikeInstruction } from './guard.ts';
import { LEXICON } from './lexicon.ts';
import { containsTerm } from '../../text/normalize.ts';
import { lines, quote, type Say } from './replies.ts';
import type { KnowledgePassage } from './results.ts';

// A rule is quoted in full up to this length; knowledge excerpts are at most 300 characters.
const RULE_QUOTE_MAX = 220;

export function knowledgeReply(say: Say, passages: readonly KnowledgePassage[]): string {
  const top = passages[0];
  const text = top ? quote(top.excerpt, looksLikeInstruction, RULE_QUOTE_MAX) : '';
  if (!top || !text) return say.t('knowledge.none');
  const others = [...new Set(passages.slice(1).map((p) => p.title).filter((t) => t && t !== top.title))];
  return lines(
    say.t('knowledge.answer', { title: top.title || say.t('knowledge.untitled'), heading: top.heading || top.title, excerpt: text }),
    others.length > 0 && say.t('knowledge.see_also', { titles: say.list(others.map((t) => say.t('knowledge.title', { title: t }))) }),
  );
}

export function smalltalkReply(say: Say, norm: string): string {
  const kind = Object.entries(LEXICON.smalltalkKinds).find(([, cues]) => cues.some((c) => containsTerm(norm, c)))?.[0] ?? 'greet';
  const persona = say.ctx.persona === 'advisor' ? 'advisor' : 'card';
  return say.t(`smalltalk.${kind}_${persona}`);
}

export function capabilities(say: Say): string {
  return say.t('common.capabilities');
}
