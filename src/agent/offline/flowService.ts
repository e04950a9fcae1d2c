// Shop rules and conversation: knowledge questions go to searchKnowledge (the shop's own documents,
// quoted with their title), small talk gets the persona's voice, and what the card must not do —
// off-topic tasks, attempts to change its instructions or see other shoppers' data — gets a polite
// refusal that reveals nothing about its instructions.
import { TOOLS } from '../../../tools/index.ts';
import { LEXICON } from './lexicon.ts';
import { containsTerm } from '../../text/normalize.ts';
import { personAsk } from '../../domain/handoff/personAsk.ts';
import { callOr, cannot, reply, valueOf, type Decision, type Flow } from './flow.ts';
import { lines, type Say } from './replies.ts';
import type { Understanding } from './understand.ts';
import { capabilities, knowledgeReply, smalltalkReply } from './replyService.ts';

const QUERY_MAX = 200;

/**
 * The shop's documents are written in Chinese: an English question is searched with the Chinese
 * words of its topics added, so "return policy" finds 《退换货与退款政策》. A question about the
 * staff, however typed ("renggong jidian xiaban", "人工节假日休息不"), gets the words the rules use for
 * them, so it finds their hours and waiting times rather than another passage that shares a word.
 */
export function knowledgeQuery(raw: string, norm: string): string {
  const added = Object.entries(LEXICON.knowledgeQueryTerms)
    .filter(([en]) => containsTerm(norm, en))
    .map(([, zh]) => zh);
  if (personAsk(norm) === 'question') added.unshift(LEXICON.staffQueryTerms);
  return [raw, ...added].join(' ').slice(0, QUERY_MAX);
}

export function knowledgeFlow(f: Flow): Decision {
  const value = valueOf(f, TOOLS.searchKnowledge);
  if (value !== undefined) return reply(knowledgeReply(f.say, value.results, f.u.norm));
  return callOr(f, TOOLS.searchKnowledge, { query: knowledgeQuery(f.u.raw, f.u.norm) }, cannot(f, 'knowledge'));
}

export function smalltalkFlow(f: Flow): Decision {
  return reply(smalltalkReply(f.say, f.u.norm));
}

export function outOfScopeFlow(f: Flow): Decision {
  return reply(lines(f.say.t('refuse.out_of_scope'), capabilities(f.say)));
}

export function injectionFlow(f: Flow): Decision {
  return reply(lines(f.say.t('refuse.injection'), capabilities(f.say)));
}

export function unknownFlow(f: Flow): Decision {
  // "优先人工通道是什么意思": a question about a term the card did not place is looked up in the rules.
  if (f.u.slots.ruleQuestion && f.tools.has(TOOLS.searchKnowledge)) return knowledgeFlow(f);
  if (f.u.alternatives.length) return clarify(f.u, f.say);
  return reply(lines(f.say.t('fallback.unknown'), capabilities(f.say)));
}

/**
 * One clarifying question with the likeliest readings to tap, instead of a shrug: "你是想查物流、
 * 申请退换货，还是问积分？".
 */
export function clarify(u: Understanding, say: Say): Decision {
  if (!u.alternatives.length) return reply(lines(say.t('fallback.unknown'), capabilities(say)));
  const options = u.alternatives.map((i) => say.t(`clarify.option_${i}`));
  return { kind: 'reply', text: say.t('clarify.ask', { options: say.list(options) }), quickReplies: options };
}


