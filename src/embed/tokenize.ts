// Chinese-aware word segmentation shared by the local embedder and the catalog's lexical match
// (products.search_terms), so both sides of a lexical comparison are cut the same way.
import { Jieba } from '@node-rs/jieba';
import { LRUCache } from 'lru-cache';
// The file name is spelled out: the package has no exports map, so Node's ESM resolver needs it.
import { dict } from '@node-rs/jieba/dict.js';

// Beauty-trade words jieba's general dictionary cuts apart (遮瑕 → 遮|瑕, 玻尿酸 → 玻|尿酸, 敏感肌 →
// 敏感|肌). Changing this list changes tokens: bump LOCAL_EMBEDDER_ID in local.ts and reindex.
const TRADE_WORDS = [
  '遮瑕', '玻尿酸', '敏感肌', '混油皮', '混干皮', '混合皮', '中性皮', '干皮', '油皮', '痘痘肌',
  '肌底液', '小黑瓶', '小棕瓶', '红宝石', '豆沙色', '妆前乳', '气垫', 'BB霜', 'CC霜', '素颜霜',
  '精华液', '精华水', '爽肤水', '化妆水', '卸妆膏', '卸妆水', '眼霜', '面霜', '身体乳', '护手霜',
  '散粉', '定妆喷雾', '腮红', '眼影', '眉笔', '睫毛膏', '唇釉', '唇膏', '口红', '洁面乳', '洗面奶',
  '抗初老', '淡斑', '祛痘', '控油', '保湿', '补水', '舒缓', '修护', '持妆', '哑光', '水光', '雾面',
  '烟酰胺', '视黄醇', '角鲨烷', '胶原蛋白', '雅诗兰黛', '兰蔻', '薇诺娜', '珀莱雅', '花西子',
  '完美日记', '珂拉琪', '毛戈平', '卡姿兰', '自然堂', '欧莱雅', '百雀羚', '丸美',
];

// Function words and shoppers' filler words ("有没有适合…的推荐一款"): they match everything, so
// they would only add noise to the lexical score and the vector.
const STOPWORDS = new Set([
  '的', '了', '和', '与', '及', '或', '是', '在', '也', '都', '就', '很', '还', '又', '吗', '呢', '吧',
  '啊', '呀', '哦', '嘛', '我', '你', '他', '她', '它', '我们', '你们', '这', '那', '这个', '那个',
  '一个', '一款', '一下', '有', '没有', '有没有', '什么', '怎么', '哪', '哪个', '想', '要', '想要',
  '给', '帮', '帮我', '请', '请问', '推荐', '适合', '求', '买', '能', '可以', '用', 'the', 'a', 'an',
  'and', 'or', 'of', 'for', 'with',
]);

// A token must carry at least one letter or digit: drops spaces and punctuation jieba returns.
const WORDLIKE = /[\p{L}\p{N}]/u;

// Loading the dictionary costs ≈ 170 ms: done once per process, on first use. The segmenter holds
// only immutable dictionary data, so sharing it carries no request state.
let segmenter: Jieba | undefined;
function jieba(): Jieba {
  if (!segmenter) {
    segmenter = Jieba.withDict(dict);
    segmenter.loadDict(Buffer.from(TRADE_WORDS.map((w) => `${w} 2000 n`).join('\n')));
  }
  return segmenter;
}

/**
 * Words of a text, in order, lowercased, without punctuation or stopwords. Search mode also emits
 * the dictionary words inside a long word (粉底液 → 粉底, 粉底液), so 粉底 matches 粉底液.
 */
export function tokenize(text: string): string[] {
  let words = recent.get(text);
  if (!words) {
    words = cut(text);
    if (text.length <= KEPT_TEXT_MAX) recent.set(text, words);
  }
  // A copy: the kept list is shared by every later caller.
  return words.slice();
}

// A turn cuts its shopper's message more than once (the intent's vector, the search's words, the
// hand-off rules' topic), and shoppers send the same short messages ("你好", "我的订单到哪了"):
// the last few hundred short texts' words are kept. jieba is deterministic, so this changes nothing.
const KEPT_TEXTS = 512;
const KEPT_TEXT_MAX = 200;
const recent = new LRUCache<string, string[]>({ max: KEPT_TEXTS });

function cut(text: string): string[] {
  // NFKC folds full-width letters, digits and punctuation (ＳＰＦ５０，) to their ASCII forms.
  const words = jieba().cutForSearch(text.normalize('NFKC'), true);
  const out: string[] = [];
  for (const w of words) {
    const t = w.trim().toLowerCase();
    if (t && WORDLIKE.test(t) && !STOPWORDS.has(t)) out.push(t);
  }
  return out;
}

/** The distinct tokens of several texts, for products.search_terms and query term sets. */
export function termSet(...texts: string[]): string[] {
  return [...new Set(texts.flatMap(tokenize))];
}
