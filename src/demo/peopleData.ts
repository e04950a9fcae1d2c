// Words for the demo shoppers: nicknames as people pick them in WeChat, receivers' real names,
// mainland mobile prefixes and delivery addresses (mostly around Hangzhou, where the case shop is).
export const NICKNAME_ADJECTIVES = ['爱笑的', '安静的', '快乐的', '温柔的', '元气', '慵懒的', '甜甜的', '勇敢的', '爱喝奶茶的', '会发光的', '不吃香菜的', '早睡的'];
export const NICKNAME_NOUNS = ['小鹿', '橘子', '桃子', '猫咪', '月亮', '云朵', '兔子', '柠檬', '芒果', '奶糖', '星星', '鲸鱼', '小熊', '茉莉'];
export const NICKNAME_NAMES = ['Coco', 'Luna', 'Vivi', 'Momo', 'Yuki', 'Anna', 'Lily', 'Cici', '晴天', '七七', '糖糖', '朵朵', '悠悠', '豆豆', '小满', '阿梨'];

export const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
export const FEMALE_GIVEN_NAMES = ['婷', '静', '敏', '丽', '娟', '欣怡', '雨涵', '子涵', '梓萱', '诗琪', '佳怡', '思雨', '嘉欣', '晓燕', '文静', '佳琪', '雪', '琳', '倩', '悦'];
export const MALE_GIVEN_NAMES = ['伟', '强', '磊', '洋', '杰', '浩然', '子轩', '俊杰', '宇', '博文'];

export const PHONE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '158', '159', '177', '180', '182', '183', '185', '186', '187', '188', '189', '199'];

export interface RegionData {
  province: string;
  city: string;
  district: string;
  streets: string[];
  weight: number;
}

export const REGIONS: readonly RegionData[] = [
  { province: '浙江省', city: '杭州市', district: '西湖区', streets: ['文三路', '古墩路', '天目山路', '教工路'], weight: 5 },
  { province: '浙江省', city: '杭州市', district: '拱墅区', streets: ['莫干山路', '湖墅南路', '丽水路'], weight: 2 },
  { province: '浙江省', city: '杭州市', district: '滨江区', streets: ['江南大道', '滨盛路', '长河路'], weight: 2 },
  { province: '上海市', city: '上海市', district: '浦东新区', streets: ['张杨路', '世纪大道', '芳甸路'], weight: 2 },
  { province: '上海市', city: '上海市', district: '徐汇区', streets: ['漕溪北路', '宜山路'], weight: 1 },
  { province: '江苏省', city: '南京市', district: '鼓楼区', streets: ['中山北路', '湖南路'], weight: 1 },
  { province: '江苏省', city: '苏州市', district: '姑苏区', streets: ['人民路', '干将西路'], weight: 1 },
  { province: '广东省', city: '广州市', district: '天河区', streets: ['天河路', '体育西路'], weight: 1 },
  { province: '广东省', city: '深圳市', district: '南山区', streets: ['科技园路', '南海大道'], weight: 1 },
  { province: '四川省', city: '成都市', district: '武侯区', streets: ['科华北路', '武侯祠大街'], weight: 1 },
  { province: '北京市', city: '北京市', district: '朝阳区', streets: ['建国路', '望京街'], weight: 1 },
  { province: '湖北省', city: '武汉市', district: '洪山区', streets: ['珞喻路', '光谷大道'], weight: 1 },
];

export const RESIDENCES = ['阳光花园', '金色家园', '锦绣苑', '翠苑', '望江府', '时代公寓', '枫林湾', '星河湾'];
