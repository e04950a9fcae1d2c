// The features the learned intent model reads from a message: characters and their pairs and
// triples (typos and unknown words still share most of them), jieba words, English words, and the
// message in toneless pinyin — so "wo de ding dan" and 我的订单 share features, as do homophones
// (发货 / 法货 both read fa huo) — and what the characters miss: that a number is an order number, a
// price or some other figure (no digit string is a feature itself, so every order number reads
// alike), and the emoji. Deterministic, no network; the same function builds the training
// features (scripts/train-intents.ts) and reads a shopper's message.
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { pinyin } from 'pinyin-pro';
import { normalize } from '../../text/normalize.ts';

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_WORD = /[a-z]+/g;
// An order number as shoppers paste it (LT… or a long run of digits), a price, an emoji.
const ORDER_NUMBER = /lt\s*\d{4,}|\d{8,}/;
const PRICE = /[¥￥]|\d+\s*(?:元|块)/;
const EMOJI = /\p{Extended_Pictographic}/gu;
// Pinyin syllables, longest first, to cut run-together pinyin ("dingdan" → ding dan).
const SYLLABLES = (
  'zhuang shuang chuang zhang zheng zhong zhuai zhuan chang cheng chong chuai chuan shang sheng shuai shuan jiang jiong ' +
  'qiang qiong xiang xiong liang niang guang kuang huang biang zhai zhan zhao zhen zhou zhua zhui zhun zhuo chai chan chao ' +
  'chen chou chua chui chun chuo shai shan shao shei shen shou shua shui shun shuo bang beng bian biao bing cang ceng cong ' +
  'cuan dang deng dian diao ding dong duan fang feng gang geng gong guai guan hang heng hong huai huan jian jiao jing juan ' +
  'kang keng kong kuai kuan lang leng lian liao ling long luan mang meng mian miao ming nang neng nian niao ning nong nuan ' +
  'pang peng pian piao ping qian qiao qing quan rang reng rong ruan sang seng song suan tang teng tian tiao ting tong tuan ' +
  'wang weng xian xiao xing xuan yang ying yong yuan zang zeng zong zuan zha zhe zhi zhu cha che chi chu sha she shi shu ' +
  'ang eng bai ban bao bei ben bie bin cai can cao cen cou cui cun cuo dai dan dao dei den dia die diu dou dui dun duo fan ' +
  'fei fen fou gai gan gao gei gen gou gua gui gun guo hai han hao hei hen hou hua hui hun huo jia jie jiu jue jun kai kan ' +
  'kao ken kou kua kui kun kuo lai lan lao lei lia lie lin liu lou lun luo lue lve mai man mao mei men mie min miu mou nai ' +
  'nan nao nei nen nie nin niu nou nuo nue nve pai pan pao pei pen pie pin pou qia qie qin qiu que qun ran rao ren rou rui ' +
  'run ruo sai san sao sen sou sui sun suo tai tan tao tei tie tou tui tun tuo wai wan wei wen xia xie xin xiu xue xun yan ' +
  'yao yin you yue yun zai zan zao zei zen zou zui zun zuo ai an ao ba bi bo bu ca ce ci cu da de di du ei en er fa fo fu ' +
  'ga ge gu ha he hu ji ju ka ke ku la le li lo lu lv ma me mi mo mu na ne ni nu nv ou pa pi po pu qi qu re ri ru sa se si ' +
  'su ta te ti tu wa wo wu xi xu ya ye yi yo yu za ze zi zu a e o'
)
  .split(' ')
  .sort((a, b) => b.length - a.length);

let segmenter: Jieba | undefined;
function jieba(): Jieba {
  segmenter ??= Jieba.withDict(dict);
  return segmenter;
}

/**
 * Run-together pinyin cut into syllables, or null when the word is not pinyin at all. Longest
 * syllable first, going back when the rest does not read ("zhuanrengong": zhuan reng … fails, so
 * zhuan ren gong).
 */
export function pinyinSyllables(word: string): string[] | null {
  const failed = new Set<number>();
  const out: string[] = [];
  const cut = (at: number): boolean => {
    if (at === word.length) return true;
    if (failed.has(at)) return false;
    for (const s of SYLLABLES) {
      if (!word.startsWith(s, at)) continue;
      out.push(s);
      if (cut(at + s.length)) return true;
      out.pop();
    }
    failed.add(at);
    return false;
  };
  return cut(0) ? out : null;
}

/** A light English stem: returns → return, arrived → arriv, ordering → order. */
function stem(w: string): string {
  return w.length > 4 ? w.replace(/(ing|ed|es|s)$/, '') : w;
}

function addGrams(into: Map<string, number>, prefix: string, items: readonly string[], sizes: readonly number[], joiner = ''): void {
  for (const n of sizes) {
    for (let i = 0; i + n <= items.length; i++) {
      const key = prefix + items.slice(i, i + n).join(joiner);
      into.set(key, (into.get(key) ?? 0) + 1);
    }
  }
}

/** The message's features with their counts. */
export function messageFeatures(raw: string): Map<string, number> {
  const text = normalize(raw);
  const out = new Map<string, number>();
  for (const run of text.match(HAN_RUN) ?? []) addGrams(out, 'c:', [...run], [1, 2, 3]);
  for (const w of jieba().cut(text, true)) {
    const t = w.trim();
    if (t && HAN.test(t)) addGrams(out, 'w:', [t], [1]);
  }
  // The Chinese read aloud: what pinyin typed by the shopper will share.
  const syllables: string[] = [];
  for (const run of text.match(HAN_RUN) ?? []) syllables.push(...pinyin(run, { toneType: 'none', type: 'array' }), '|');
  for (const word of text.normalize('NFD').replace(/\p{M}/gu, '').match(LATIN_WORD) ?? []) {
    // An English word and run-together pinyin can look alike ("can", "change"): both readings count.
    addGrams(out, 'e:', [stem(word)], [1]);
    // Pinyin words in a row read as one run ("wo de dingdan": wode, deding … as for 我的订单).
    const cut = word.length >= 2 ? pinyinSyllables(word) : null;
    if (cut) syllables.push(...cut);
    else syllables.push('|');
  }
  const pinyinRuns = syllables.join(' ').split('|').map((r) => r.trim().split(/\s+/).filter(Boolean));
  for (const r of pinyinRuns) addGrams(out, 'p:', r, [1, 2], '');
  if (/[？?]/.test(text) || /[吗呢么嘛]\s*$/.test(text)) out.set('q:question', 1);
  if (ORDER_NUMBER.test(text)) out.set('n:order', 1);
  else if (/\d/.test(text)) out.set('n:figure', 1);
  if (PRICE.test(text)) out.set('n:price', 1);
  for (const e of text.match(EMOJI) ?? []) out.set('x:' + e, (out.get('x:' + e) ?? 0) + 1);
  return out;
}
