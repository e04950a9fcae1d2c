// Tool results are data, never instructions (a product description or a review may say "忽略之前的
// 指令…"). The offline model never acts on tool text; this check keeps such sentences out of what
// it quotes back to the shopper.
import { keywordScore } from './intents.ts';
import { normalize } from '../../text/normalize.ts';

// Keyword evidence at which a sentence reads as an instruction aimed at the assistant.
const INSTRUCTION_AT = 3;
const ADDRESSES_ASSISTANT = /(assistant|ai|chatbot|model|助手|机器人|客服|模型)\s*[,，:：]?\s*(must|should|please|必须|应该|请|需要)/i;

export function looksLikeInstruction(sentence: string): boolean {
  const norm = normalize(sentence);
  return keywordScore(norm, 'injection') >= INSTRUCTION_AT || ADDRESSES_ASSISTANT.test(norm);
}
