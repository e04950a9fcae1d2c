// Shop rules and conversation: knowledge questions go to searchKnowledge (the shop's own documents,
// quoted with their title), small talk gets the persona's voice, and what the card must not do —
// off-topic tasks, attempts to change its instructions or see other shoppers' data — gets a polite
// refusal that reveals nothing about its instructions.
import { readKnowledge } from './facts.ts';
import { callOr, cannot, reply, valueOf, type Decision, type Flow } from './flow.ts';
import { lines } from './replies.ts';
import { capabilities, knowledgeReply, smalltalkReply } from './replyService.ts';

export function knowledgeFlow(f: Flow): Decision {
  const value = valueOf(f, 'searchKnowledge');
  if (value !== undefined) return reply(knowledgeReply(f.say, readKnowledge(value)));
  return callOr(f, 'searchKnowledge', { query: f.u.raw.slice(0, 200) }, cannot(f, 'knowledge'));
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
  return reply(lines(f.say.t('fallback.unknown'), capabilities(f.say)));
}
