// Which vote candidate a message names when it names one only in part ("视黄醇抗老精华" for 初研 鎏金视黄醇抗老精华
// 30ml, "悦颜的植萃卸妆水"): the candidate sharing the longest run of characters with the message, when that run
// is long enough to be a name and no other candidate shares one as long.
import type { VoteCandidate } from './results.ts';

// Shorter shared runs are common words (精华, 面霜), not names.
const NAME_RUN = 3;
// A size or volume ("30ml", "2只装") says nothing about which candidate.
const SIZE = /\d+\s*(?:ml|g|片|只|支|把|瓶|kg|l)\S*/giu;

function longestSharedRun(a: string, b: string): number {
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k]) k++;
      if (k > best) best = k;
    }
  }
  return best;
}

export function candidateNamed(norm: string, candidates: readonly VoteCandidate[]): VoteCandidate | undefined {
  const text = norm.replace(/\s+/g, '');
  const runs = candidates.map((c) => longestSharedRun(text, c.name.toLowerCase().replace(SIZE, '').replace(/\s+/g, '')));
  const best = Math.max(0, ...runs);
  if (best < NAME_RUN || runs.filter((r) => r === best).length > 1) return undefined;
  return candidates[runs.indexOf(best)];
}
