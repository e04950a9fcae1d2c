// The AI SDK calls the model once per step of a turn, each time with the whole prompt. Between the
// steps of one turn only the turn's own tool calls and results grow: the message being answered, the
// conversation before it and the turn input are the same, and so is what understand() makes of them
// (it reads neither this turn's tool calls nor the step). The understanding of the first step is kept
// for the later ones instead of being worked out again.
import type { ResolvedContext } from './contract.ts';
import type { Conversation } from './conversation.ts';
import type { IntentClassifier } from './intents.ts';
import { understand, type Understanding } from './understand.ts';

export type Understander = (turn: object | undefined, conv: Conversation, ctx: ResolvedContext) => Promise<Understanding>;

/**
 * understand(), kept per turn: `turn` is the object the SDK hands every step of one call (the turn
 * input in providerOptions), held weakly so the entry goes with the turn. It is checked against what
 * the understanding was made from, so a caller that sends the same object with another conversation
 * or on another day is understood afresh; without a `turn` every call is.
 */
export function understandOncePerTurn(classifier: IntentClassifier): Understander {
  const kept = new WeakMap<object, { from: string; understanding: Promise<Understanding> }>();
  return (turn, conv, ctx) => {
    const from = turn && madeFrom(conv, ctx);
    if (!turn || from === undefined) return understand(conv, ctx, classifier);
    const hit = kept.get(turn);
    if (hit && hit.from === from) return hit.understanding;
    const understanding = understand(conv, ctx, classifier);
    kept.set(turn, { from, understanding });
    // A failure is not kept: the next step tries again, as it would have without this.
    understanding.catch(() => {
      if (kept.get(turn)?.understanding === understanding) kept.delete(turn);
    });
    return understanding;
  };
}

/** Everything understand() reads besides the turn input, as one string; undefined when it is not plain JSON. */
function madeFrom(conv: Conversation, ctx: ResolvedContext): string | undefined {
  try {
    return JSON.stringify([conv.current.user, ctx.today, conv.history]);
  } catch {
    return undefined;
  }
}
