// The words the demo catalog is made of: invented brands, product lines (series) and product types
// per category. The generator combines brand × series × type, so ~330 products read like a real
// shop's without being written out one by one.
import { SKIN_TYPES, type ProductAttributesSeed, type SkinType } from './types.ts';

export interface BrandData {
  name: string;
  /** Country for imports, city for domestic brands (products.origin). */
  origin: string;
  imported: boolean;
  supplierId: string;
  /** 0 = budget … 1 = premium: where in a type's price range the brand's products sit. */
  position: number;
}

export const BRANDS: Record<string, BrandData> = {
  悦颜: { name: '悦颜', origin: '上海', imported: false, supplierId: 'sup-yunshang', position: 0.2 },
  澜汐: { name: '澜汐', origin: '法国', imported: true, supplierId: 'sup-haina', position: 0.9 },
  雪棠: { name: '雪棠', origin: '日本', imported: true, supplierId: 'sup-haina', position: 0.7 },
  沐光: { name: '沐光', origin: '韩国', imported: true, supplierId: 'sup-haina', position: 0.5 },
  初研: { name: '初研', origin: '上海', imported: false, supplierId: 'sup-yunshang', position: 0.55 },
  青禾本草: { name: '青禾本草', origin: '云南昆明', imported: false, supplierId: 'sup-huamei', position: 0.3 },
  花间集: { name: '花间集', origin: '广州', imported: false, supplierId: 'sup-huamei', position: 0.25 },
  绮梦: { name: '绮梦', origin: '广州', imported: false, supplierId: 'sup-huamei', position: 0.35 },
  蔻拉: { name: '蔻拉', origin: '意大利', imported: true, supplierId: 'sup-haina', position: 0.8 },
  木与森: { name: '木与森', origin: '杭州', imported: false, supplierId: 'sup-jiayi', position: 0.3 },
  净享家: { name: '净享家', origin: '广州', imported: false, supplierId: 'sup-jiayi', position: 0.2 },
  暖居: { name: '暖居', origin: '杭州', imported: false, supplierId: 'sup-jiayi', position: 0.45 },
};

export interface SeriesData {
  name: string;
  effects?: string[];
}

export interface ProductTypeData {
  name: string;
  skinTypes: readonly SkinType[];
  effects: string[];
  specs: string[];
  /** Retail price range in fen. */
  priceFen: readonly [number, number];
  /** What it is like, one clause (the first sentence of the description). */
  blurb: string;
  colors?: string[];
  /** Days one unit lasts, for replenishment reminders (consumables only). */
  usageCycleDays?: number;
}

export interface CategoryData {
  name: string;
  /** SKU infix: DEMO-FDN-0001. */
  code: string;
  count: number;
  /** Household goods: no skin types, a usage sentence instead. */
  household?: boolean;
  brands: string[];
  series: SeriesData[];
  types: ProductTypeData[];
}

const ALL_SKIN = SKIN_TYPES;
const SKINCARE_BRANDS = ['悦颜', '澜汐', '雪棠', '沐光', '初研', '青禾本草', '花间集'];
const MAKEUP_BRANDS = ['悦颜', '花间集', '绮梦', '蔻拉', '澜汐', '雪棠'];
const SKINCARE_SERIES: SeriesData[] = [
  { name: '水光' },
  { name: '玻尿酸', effects: ['保湿'] },
  { name: '烟酰胺', effects: ['美白'] },
  { name: '积雪草', effects: ['修护'] },
  { name: '神经酰胺', effects: ['修护'] },
  { name: '雪润' },
  { name: '净澈' },
  { name: '臻颜', effects: ['抗老'] },
];
const MAKEUP_SERIES: SeriesData[] = [
  { name: '柔雾' },
  { name: '丝绒' },
  { name: '水光' },
  { name: '奶油肌' },
  { name: '星钻' },
  { name: '小金管' },
];
const FOUNDATION_SHADES = ['象牙白', '自然色', '小麦色'];
const LIP_COLORS = ['正红', '豆沙', '枫叶红', '奶茶色', '番茄红', '玫瑰粉', '橘棕', '复古红'];
const EYE_COLORS = ['大地色', '蜜桃粉', '酒红', '奶茶色', '烟熏灰', '珊瑚橘', '玫瑰金'];

export const CATEGORIES: readonly CategoryData[] = [
  {
    name: '洁面',
    code: 'CLN',
    count: 20,
    brands: SKINCARE_BRANDS,
    series: SKINCARE_SERIES,
    types: [
      { name: '氨基酸洁面乳', skinTypes: ['干皮', '敏感肌', '中性皮'], effects: ['保湿', '温和清洁'], specs: ['100g', '120g'], priceFen: [3900, 12900], blurb: '氨基酸表活温和清洁，泡沫细腻绵密，洗后不紧绷', usageCycleDays: 60 },
      { name: '控油净透洁面', skinTypes: ['油皮', '混合皮'], effects: ['控油', '清洁毛孔'], specs: ['120g'], priceFen: [2900, 9900], blurb: '深入毛孔带走多余油脂，洗后清爽不假滑', usageCycleDays: 60 },
      { name: '洁面慕斯', skinTypes: ['敏感肌', '干皮', '中性皮'], effects: ['舒缓', '温和清洁'], specs: ['150ml'], priceFen: [5900, 15900], blurb: '按压即出绵密泡沫，省去起泡步骤，早晚都适用', usageCycleDays: 60 },
      { name: '酵素洁颜粉', skinTypes: ['油皮', '混合皮', '中性皮'], effects: ['去角质', '提亮'], specs: ['50g'], priceFen: [6900, 16900], blurb: '遇水起泡，温和分解老废角质，肤色更透亮', usageCycleDays: 60 },
    ],
  },
  {
    name: '化妆水',
    code: 'TNR',
    count: 20,
    brands: SKINCARE_BRANDS,
    series: SKINCARE_SERIES,
    types: [
      { name: '保湿爽肤水', skinTypes: ['干皮', '中性皮', '混合皮'], effects: ['保湿'], specs: ['150ml', '200ml'], priceFen: [5900, 22900], blurb: '质地清润，轻拍即吸收，为肌肤迅速补水', usageCycleDays: 60 },
      { name: '控油收敛水', skinTypes: ['油皮', '混合皮'], effects: ['控油', '收敛毛孔'], specs: ['200ml'], priceFen: [4900, 15900], blurb: '平衡水油，收敛粗大毛孔，夏天用很清爽', usageCycleDays: 60 },
      { name: '舒缓精粹水', skinTypes: ['敏感肌', '干皮'], effects: ['修护', '舒缓'], specs: ['150ml'], priceFen: [7900, 25900], blurb: '无酒精无香精，缓解泛红干痒，换季也能安心用', usageCycleDays: 60 },
      { name: '焕亮精华水', skinTypes: ['中性皮', '混合皮', '干皮'], effects: ['美白', '提亮'], specs: ['150ml'], priceFen: [9900, 39900], blurb: '精华级浓度，持续使用让暗沉肤色变得通透', usageCycleDays: 60 },
    ],
  },
  {
    name: '精华',
    code: 'SRM',
    count: 26,
    brands: SKINCARE_BRANDS,
    series: [{ name: '小白瓶' }, { name: '小棕瓶' }, { name: '精研' }, { name: '极光' }, { name: '鎏金' }, { name: '安瓶' }],
    types: [
      { name: '烟酰胺美白精华', skinTypes: ['中性皮', '混合皮', '油皮'], effects: ['美白', '提亮'], specs: ['30ml'], priceFen: [9900, 39900], blurb: '高纯烟酰胺配合传明酸，淡化痘印，提亮肤色' },
      { name: '玻尿酸保湿精华', skinTypes: ['干皮', '中性皮', '混合皮'], effects: ['保湿'], specs: ['30ml'], priceFen: [7900, 29900], blurb: '多分子玻尿酸层层补水，质地水润不黏腻' },
      { name: '视黄醇抗老精华', skinTypes: ['中性皮', '干皮', '油皮'], effects: ['抗老', '淡纹'], specs: ['30ml'], priceFen: [15900, 59900], blurb: '缓释视黄醇夜间修护，细纹和粗糙肉眼可见地改善' },
      { name: '积雪草修护精华', skinTypes: ['敏感肌', '干皮'], effects: ['修护', '舒缓'], specs: ['30ml'], priceFen: [8900, 29900], blurb: '积雪草与神经酰胺修护屏障，泛红刺痛少了' },
      { name: '水杨酸净痘精华', skinTypes: ['油皮', '混合皮'], effects: ['控油', '祛痘'], specs: ['20ml'], priceFen: [6900, 19900], blurb: '低浓度水杨酸疏通毛孔，闭口和黑头逐步减少' },
    ],
  },
  {
    name: '面霜',
    code: 'CRM',
    count: 24,
    brands: SKINCARE_BRANDS,
    series: SKINCARE_SERIES,
    types: [
      { name: '保湿滋润面霜', skinTypes: ['干皮', '中性皮'], effects: ['保湿', '滋润'], specs: ['50g'], priceFen: [8900, 39900], blurb: '丰润乳霜锁住水分，一整天不起皮' },
      { name: '清爽控油乳液', skinTypes: ['油皮', '混合皮'], effects: ['控油', '保湿'], specs: ['100ml'], priceFen: [5900, 19900], blurb: '轻薄乳液秒吸收，保湿又不闷痘' },
      { name: '修护屏障霜', skinTypes: ['敏感肌', '干皮'], effects: ['修护', '舒缓'], specs: ['50g'], priceFen: [9900, 29900], blurb: '仿生皮脂配方修护受损屏障，敏感肌换季必备' },
      { name: '抗皱紧致面霜', skinTypes: ['干皮', '中性皮', '混合皮'], effects: ['抗老', '紧致'], specs: ['50g'], priceFen: [19900, 69900], blurb: '多肽与胶原协同，轮廓更紧致，细纹淡化' },
      { name: '美白精华乳', skinTypes: ['中性皮', '混合皮', '油皮'], effects: ['美白', '保湿'], specs: ['100ml'], priceFen: [9900, 25900], blurb: '精华乳两步合一，美白保湿同时完成' },
    ],
  },
  {
    name: '眼霜',
    code: 'EYE',
    count: 16,
    brands: SKINCARE_BRANDS,
    series: SKINCARE_SERIES,
    types: [
      { name: '淡纹紧致眼霜', skinTypes: ['干皮', '中性皮', '混合皮', '油皮'], effects: ['抗老', '淡纹'], specs: ['15g'], priceFen: [12900, 49900], blurb: '按摩头设计，轻推即吸收，眼周细纹渐渐淡化' },
      { name: '淡化黑眼圈眼霜', skinTypes: ['中性皮', '混合皮', '干皮'], effects: ['提亮', '淡化黑眼圈'], specs: ['15g'], priceFen: [9900, 32900], blurb: '咖啡因与维C衍生物，熬夜后的黑眼圈看起来更淡' },
      { name: '舒缓保湿眼霜', skinTypes: ['敏感肌', '干皮'], effects: ['保湿', '舒缓'], specs: ['15g'], priceFen: [7900, 22900], blurb: '温和不辣眼，眼周干纹一抹就润' },
      { name: '胶原眼膜', skinTypes: ['干皮', '中性皮'], effects: ['保湿', '紧致'], specs: ['60片'], priceFen: [5900, 15900], blurb: '晶莹凝胶眼膜贴，敷完眼周嘟嘟的', usageCycleDays: 30 },
    ],
  },
  {
    name: '面膜',
    code: 'MSK',
    count: 24,
    brands: SKINCARE_BRANDS,
    series: SKINCARE_SERIES,
    types: [
      { name: '补水面膜', skinTypes: ['干皮', '中性皮', '混合皮'], effects: ['保湿'], specs: ['5片', '10片'], priceFen: [3900, 12900], blurb: '天丝膜布服帖，精华液足量，敷完透亮水润', usageCycleDays: 30 },
      { name: '清洁泥膜', skinTypes: ['油皮', '混合皮'], effects: ['控油', '清洁毛孔'], specs: ['100g'], priceFen: [4900, 15900], blurb: '高岭土吸附油脂，T区每周一到两次', usageCycleDays: 60 },
      { name: '舒缓修护面膜', skinTypes: ['敏感肌'], effects: ['修护', '舒缓'], specs: ['5片'], priceFen: [5900, 16900], blurb: '医美级舒缓配方，晒后和换季泛红急救', usageCycleDays: 30 },
      { name: '美白亮肤面膜', skinTypes: ['中性皮', '混合皮'], effects: ['美白', '提亮'], specs: ['5片'], priceFen: [5900, 19900], blurb: '密集提亮，约会前敷一片气色更好', usageCycleDays: 30 },
      { name: '睡眠面膜', skinTypes: ['干皮', '中性皮'], effects: ['保湿', '修护'], specs: ['80g'], priceFen: [6900, 19900], blurb: '免洗配方，睡前厚涂，第二天肌肤软嫩', usageCycleDays: 45 },
    ],
  },
  {
    name: '防晒',
    code: 'SUN',
    count: 20,
    brands: SKINCARE_BRANDS,
    series: [{ name: '清透' }, { name: '冰感' }, { name: '轻盈' }, { name: '户外' }, { name: '水光' }],
    types: [
      { name: '清爽防晒乳 SPF50+', skinTypes: ['油皮', '混合皮', '中性皮'], effects: ['防晒', '控油'], specs: ['50ml'], priceFen: [6900, 22900], blurb: '水感质地不油腻，通勤和户外都够用', usageCycleDays: 60 },
      { name: '水润防晒霜 SPF50', skinTypes: ['干皮', '中性皮'], effects: ['防晒', '保湿'], specs: ['50g'], priceFen: [7900, 25900], blurb: '防晒同时保湿，干皮上脸不搓泥', usageCycleDays: 60 },
      { name: '敏感肌物理防晒 SPF30', skinTypes: ['敏感肌'], effects: ['防晒', '修护'], specs: ['40ml'], priceFen: [8900, 23900], blurb: '纯物理防晒剂，不刺激眼睛，孕期也可用', usageCycleDays: 60 },
      { name: '防晒喷雾 SPF50+', skinTypes: ['中性皮', '混合皮', '油皮'], effects: ['防晒'], specs: ['150ml'], priceFen: [5900, 16900], blurb: '随时补涂不花妆，身体和头发都能喷', usageCycleDays: 45 },
      { name: '素颜防晒隔离', skinTypes: ['干皮', '混合皮', '中性皮'], effects: ['防晒', '遮瑕', '提亮'], specs: ['40ml'], priceFen: [6900, 19900], blurb: '自带轻微修色，素颜出门也有好气色', usageCycleDays: 60 },
    ],
  },
  {
    name: '卸妆',
    code: 'RMV',
    count: 18,
    brands: SKINCARE_BRANDS,
    series: [{ name: '净澈' }, { name: '温和' }, { name: '植萃' }, { name: '樱花' }, { name: '绿茶' }],
    types: [
      { name: '卸妆油', skinTypes: ['干皮', '中性皮', '混合皮'], effects: ['深层清洁'], specs: ['200ml'], priceFen: [5900, 18900], blurb: '遇水乳化快，浓妆防晒一次卸干净', usageCycleDays: 60 },
      { name: '卸妆水', skinTypes: ['敏感肌', '油皮', '混合皮', '中性皮'], effects: ['温和清洁'], specs: ['400ml'], priceFen: [3900, 12900], blurb: '清爽不油腻，化妆棉轻擦即净', usageCycleDays: 60 },
      { name: '卸妆膏', skinTypes: ['干皮', '中性皮'], effects: ['深层清洁', '滋润'], specs: ['100g'], priceFen: [6900, 19900], blurb: '膏体化油快，卸完不干涩', usageCycleDays: 60 },
      { name: '眼唇卸妆液', skinTypes: ['敏感肌', '中性皮'], effects: ['温和清洁'], specs: ['120ml'], priceFen: [3900, 10900], blurb: '水油双层，防水睫毛膏轻松卸', usageCycleDays: 60 },
      { name: '卸妆湿巾', skinTypes: ['油皮', '混合皮', '中性皮'], effects: ['温和清洁', '便携'], specs: ['25片'], priceFen: [1990, 4900], blurb: '独立包装好携带，出差旅行必备', usageCycleDays: 30 },
    ],
  },
  {
    name: '粉底液',
    code: 'FDN',
    count: 26,
    brands: MAKEUP_BRANDS,
    series: MAKEUP_SERIES,
    types: [
      { name: '水润粉底液', skinTypes: ['干皮', '中性皮'], effects: ['保湿', '遮瑕', '提亮'], specs: ['30ml'], priceFen: [9900, 22900], blurb: '含玻尿酸和角鲨烷，上妆服帖不卡粉', colors: FOUNDATION_SHADES },
      { name: '养肤精华粉底液', skinTypes: ['干皮', '敏感肌', '中性皮'], effects: ['保湿', '修护', '遮瑕'], specs: ['30ml'], priceFen: [15900, 39900], blurb: '一半是精华，带妆一天皮肤也舒服', colors: FOUNDATION_SHADES },
      { name: '哑光控油粉底液', skinTypes: ['油皮', '混合皮'], effects: ['控油', '遮瑕', '持妆'], specs: ['30ml'], priceFen: [9900, 25900], blurb: '控油粉体吸附油光，T区八小时不斑驳', colors: FOUNDATION_SHADES },
      { name: '持妆粉底液', skinTypes: ['混合皮', '油皮', '中性皮'], effects: ['持妆', '遮瑕'], specs: ['30ml'], priceFen: [12900, 39900], blurb: '高遮瑕不厚重，十二小时持妆不暗沉', colors: FOUNDATION_SHADES },
      { name: '轻透粉底液', skinTypes: ['干皮', '混合皮', '中性皮'], effects: ['遮瑕', '轻薄'], specs: ['30ml'], priceFen: [9900, 18900], blurb: '像没涂一样轻薄，日常通勤的伪素颜', colors: FOUNDATION_SHADES },
    ],
  },
  {
    name: '口红',
    code: 'LIP',
    count: 28,
    brands: MAKEUP_BRANDS,
    series: MAKEUP_SERIES,
    types: [
      { name: '丝绒哑光口红', skinTypes: ALL_SKIN, effects: ['持妆', '显白'], specs: ['3.5g'], priceFen: [5900, 29900], blurb: '丝绒雾面质地，一抹显色，不拔干', colors: LIP_COLORS },
      { name: '滋润唇膏', skinTypes: ALL_SKIN, effects: ['滋润', '保湿'], specs: ['3.5g'], priceFen: [3900, 15900], blurb: '含植物油脂，秋冬嘴唇不起皮', colors: LIP_COLORS },
      { name: '镜面唇釉', skinTypes: ALL_SKIN, effects: ['水光', '显白'], specs: ['5ml'], priceFen: [4900, 19900], blurb: '玻璃光泽感，嘟嘟唇一涂就有', colors: LIP_COLORS },
      { name: '雾面唇泥', skinTypes: ALL_SKIN, effects: ['持妆', '柔雾'], specs: ['5g'], priceFen: [4900, 16900], blurb: '奶油慕斯质地，薄涂厚涂都好看', colors: LIP_COLORS },
      { name: '润唇膏', skinTypes: ALL_SKIN, effects: ['保湿', '修护'], specs: ['4g'], priceFen: [1990, 6900], blurb: '打底润唇两用，随身补涂', colors: ['无色', '淡粉'] },
    ],
  },
  {
    name: '眼影',
    code: 'EYS',
    count: 20,
    brands: MAKEUP_BRANDS,
    series: MAKEUP_SERIES,
    types: [
      { name: '九色眼影盘', skinTypes: ALL_SKIN, effects: ['显色', '持妆'], specs: ['12g'], priceFen: [7900, 32900], blurb: '哑光珠光搭配，日常到派对一盘搞定', colors: EYE_COLORS },
      { name: '四色眼影盘', skinTypes: ALL_SKIN, effects: ['显色', '不飞粉'], specs: ['6g'], priceFen: [4900, 16900], blurb: '小巧好带，新手也能画出层次', colors: EYE_COLORS },
      { name: '单色珠光眼影', skinTypes: ALL_SKIN, effects: ['闪耀'], specs: ['2g'], priceFen: [2900, 9900], blurb: '细闪不夸张，点在眼中提亮眼神', colors: EYE_COLORS },
      { name: '液体眼影', skinTypes: ALL_SKIN, effects: ['持妆', '闪耀'], specs: ['4ml'], priceFen: [4900, 12900], blurb: '速干不晕染，一抹就是清透眼妆', colors: EYE_COLORS },
    ],
  },
  {
    name: '身体护理',
    code: 'BDY',
    count: 20,
    brands: SKINCARE_BRANDS,
    series: [{ name: '白茶' }, { name: '牛油果' }, { name: '玫瑰' }, { name: '燕麦' }, { name: '海盐' }],
    types: [
      { name: '身体乳', skinTypes: ['干皮', '中性皮', '敏感肌'], effects: ['保湿', '滋润'], specs: ['250ml'], priceFen: [3900, 15900], blurb: '秋冬洗完澡涂一层，整晚不干痒', usageCycleDays: 60 },
      { name: '磨砂膏', skinTypes: ['油皮', '混合皮', '中性皮'], effects: ['去角质', '细腻'], specs: ['200g'], priceFen: [4900, 12900], blurb: '细腻颗粒温和去角质，鸡皮肤更光滑', usageCycleDays: 60 },
      { name: '护手霜', skinTypes: ALL_SKIN, effects: ['滋润', '修护'], specs: ['50g'], priceFen: [1990, 8900], blurb: '好吸收不黏手，办公室常备', usageCycleDays: 30 },
      { name: '香体喷雾', skinTypes: ALL_SKIN, effects: ['留香'], specs: ['100ml'], priceFen: [4900, 12900], blurb: '淡淡香气，运动后喷一下清爽一整天', usageCycleDays: 60 },
      { name: '美白身体乳', skinTypes: ['中性皮', '油皮', '混合皮'], effects: ['美白', '保湿'], specs: ['250ml'], priceFen: [5900, 16900], blurb: '烟酰胺焕亮身体肤色，夏天露肤更自信', usageCycleDays: 60 },
    ],
  },
  {
    name: '香水',
    code: 'PFM',
    count: 16,
    brands: ['澜汐', '蔻拉', '雪棠', '花间集'],
    series: [{ name: '白茶' }, { name: '小苍兰' }, { name: '橙花' }, { name: '雪松' }, { name: '玫瑰' }, { name: '无花果' }, { name: '海盐' }, { name: '柑橘' }],
    types: [
      { name: '淡香水', skinTypes: ALL_SKIN, effects: ['留香', '清新'], specs: ['50ml'], priceFen: [15900, 69900], blurb: '前调清新，后调温柔，日常通勤不打扰别人' },
      { name: '浓香水', skinTypes: ALL_SKIN, effects: ['留香'], specs: ['30ml', '50ml'], priceFen: [25900, 89900], blurb: '留香八小时以上，约会和重要场合的记忆点' },
      { name: '香水小样套装', skinTypes: ALL_SKIN, effects: ['留香'], specs: ['5ml×4'], priceFen: [5900, 19900], blurb: '四种香型小样，先试再决定买哪支正装' },
      { name: '固体香膏', skinTypes: ALL_SKIN, effects: ['留香', '便携'], specs: ['10g'], priceFen: [3900, 9900], blurb: '小圆盒随身带，耳后手腕点一点' },
    ],
  },
  {
    name: '美妆工具',
    code: 'TOL',
    count: 18,
    brands: ['木与森', '悦颜', '绮梦', '花间集'],
    series: [{ name: '柔肤' }, { name: '云朵' }, { name: '专业' }, { name: '便携' }, { name: '轻奢' }],
    types: [
      { name: '美妆蛋', skinTypes: ALL_SKIN, effects: ['不吃粉', '亲肤'], specs: ['2只装'], priceFen: [1990, 5900], blurb: '遇水变大一倍，上粉底均匀无痕', usageCycleDays: 90 },
      { name: '化妆刷套装', skinTypes: ALL_SKIN, effects: ['亲肤'], specs: ['8支装'], priceFen: [5900, 29900], blurb: '纤维毛柔软抓粉，新手一套够用' },
      { name: '睫毛夹', skinTypes: ALL_SKIN, effects: ['卷翘持久'], specs: ['1把'], priceFen: [2990, 12900], blurb: '贴合亚洲眼型弧度，不夹眼皮' },
      { name: '化妆棉', skinTypes: ALL_SKIN, effects: ['亲肤', '省水'], specs: ['200片'], priceFen: [990, 3900], blurb: '双面压边不掉絮，湿敷爽肤水很省', usageCycleDays: 30 },
      { name: '一次性洗脸巾', skinTypes: ALL_SKIN, effects: ['亲肤'], specs: ['60抽'], priceFen: [1590, 3900], blurb: '纯棉加厚，干湿两用，比毛巾更卫生', usageCycleDays: 30 },
      { name: '粉扑', skinTypes: ALL_SKIN, effects: ['不吃粉'], specs: ['3只装'], priceFen: [1590, 3900], blurb: '气垫和散粉都能用，可水洗', usageCycleDays: 60 },
    ],
  },
  {
    name: '家居日用',
    code: 'HOM',
    count: 24,
    household: true,
    brands: ['净享家', '暖居', '木与森'],
    series: [{ name: '薰衣草' }, { name: '柠檬' }, { name: '樱花' }, { name: '海洋' }, { name: '绿茶' }, { name: '无香' }, { name: '母婴', effects: ['母婴可用'] }],
    types: [
      { name: '洗衣液', skinTypes: [], effects: ['深层洁净', '除菌', '留香'], specs: ['2kg', '3kg'], priceFen: [2990, 8990], blurb: '低泡易漂，机洗手洗都适用', usageCycleDays: 60 },
      { name: '洗洁精', skinTypes: [], effects: ['去油', '不伤手'], specs: ['1.1kg'], priceFen: [990, 2990], blurb: '一滴去油，果蔬餐具都能洗', usageCycleDays: 45 },
      { name: '沐浴露', skinTypes: [], effects: ['清爽', '留香', '滋润'], specs: ['750ml'], priceFen: [2990, 8990], blurb: '氨基酸配方，洗后肌肤滑而不干', usageCycleDays: 45 },
      { name: '牙膏', skinTypes: [], effects: ['清新口气', '护龈'], specs: ['120g×2'], priceFen: [1990, 5990], blurb: '细腻膏体，刷完口气清新一整天', usageCycleDays: 60 },
      { name: '抽纸', skinTypes: [], effects: ['柔韧亲肤'], specs: ['3层100抽×24包'], priceFen: [3990, 8990], blurb: '原生木浆，湿水不易破', usageCycleDays: 30 },
      { name: '洗发水', skinTypes: [], effects: ['控油', '柔顺'], specs: ['500ml'], priceFen: [3990, 9990], blurb: '头皮清爽蓬松，发尾柔顺不打结', usageCycleDays: 60 },
      { name: '洗手液', skinTypes: [], effects: ['除菌', '温和'], specs: ['500ml'], priceFen: [1590, 3990], blurb: '绵密泡沫，抑菌不伤手', usageCycleDays: 45 },
      { name: '衣物柔顺剂', skinTypes: [], effects: ['柔顺', '留香', '防静电'], specs: ['1.5L'], priceFen: [2990, 6990], blurb: '衣物蓬松柔软，冬天不起静电', usageCycleDays: 60 },
    ],
  },
];

/**
 * The 链动2+1 activation products (激活产品, docs/domain.md §4 Referral): low-price lead items whose purchase makes
 * a member an agent. Written by hand: they are few and the card explains them by name.
 */
export interface ActivationProductData {
  sku: string;
  name: string;
  brand: string;
  category: string;
  productType: string;
  priceFen: number;
  attributes: ProductAttributesSeed;
  description: string;
}

export const ACTIVATION_PRODUCTS: readonly ActivationProductData[] = [
  {
    sku: 'DEMO-ACT-0001',
    name: '悦颜 玻尿酸补水面膜体验装 3片',
    brand: '悦颜',
    category: '面膜',
    productType: '补水面膜',
    priceFen: 990,
    attributes: { skin_types: ['干皮', '中性皮', '混合皮'], effects: ['保湿'], spec: '3片' },
    description: '悦颜人气补水面膜的体验装，三片一次试够。9.9元包邮，链动激活礼包：购买即开通代理身份。上海工厂生产，供应链统一质检，48小时内发货。',
  },
  {
    sku: 'DEMO-ACT-0002',
    name: '悦颜 水光护肤旅行套装（洁面+水+乳）',
    brand: '悦颜',
    category: '化妆水',
    productType: '保湿爽肤水',
    priceFen: 1990,
    attributes: { skin_types: ['干皮', '油皮', '混合皮', '敏感肌', '中性皮'], effects: ['保湿', '温和清洁'], spec: '30ml×3' },
    description: '洁面、化妆水、乳液三件旅行装，一周的基础护肤。19.9元包邮，链动激活礼包：购买即开通代理身份。上海工厂生产，供应链统一质检，48小时内发货。',
  },
  {
    sku: 'DEMO-ACT-0003',
    name: '绮梦 丝绒口红小样三支装',
    brand: '绮梦',
    category: '口红',
    productType: '丝绒哑光口红',
    priceFen: 1990,
    attributes: { skin_types: ['干皮', '油皮', '混合皮', '敏感肌', '中性皮'], colors: ['正红', '豆沙', '枫叶红'], effects: ['持妆', '显白'], spec: '1.2g×3' },
    description: '正红、豆沙、枫叶红三支热门色小样，找到本命色再买正装。19.9元包邮，链动激活礼包：购买即开通代理身份。广州工厂生产，供应链统一质检，48小时内发货。',
  },
];
