// GET /card/:shopId — the AI business card (AI智能名片) on a phone: the advisor, the shop, quick
// actions and the chat. The shopper's token arrives in the URL fragment (#token=…) from the
// mini-program (or the dev helper), so it never reaches a server log or a Referer.
import { html } from 'hono/html';
import type { Shop } from '../../domain/shops/repo.ts';
import { page } from './layout.ts';

/** Quick actions (docs/domain.md §2 Card): what a tap asks the card. */
const QUICK_ACTIONS: ReadonlyArray<{ label: string; ask: string }> = [
  { label: '查订单', ask: '帮我查一下我的订单' },
  { label: '查物流', ask: '我的快递到哪了' },
  { label: '推荐', ask: '根据我的肤质推荐几款护肤品' },
  { label: '我的优惠券', ask: '我有哪些优惠券' },
  { label: '我的推广', ask: '我的推广收益和身份怎么样' },
];

export function cardPage(shop: Shop) {
  const photo = shop.card.advisorPhotoUrl || '/static/advisor.svg';
  return page({
    title: `${shop.card.advisorName} · ${shop.name}`,
    styles: ['/static/card.css'],
    scripts: ['/static/common.js', '/static/card.js'],
    data: { 'shop-id': shop.id, 'advisor-name': shop.card.advisorName },
    body: html`<div class="card-app">
  <header class="profile">
    <img class="avatar" src="${photo}" alt="${shop.card.advisorName}" width="64" height="64" />
    <div class="who">
      <h1>${shop.card.advisorName}</h1>
      <p class="title">${shop.card.advisorTitle}</p>
      <p class="shop">${shop.name}</p>
    </div>
  </header>
  <section class="intro">
    <p>${shop.intro}</p>
    <p class="contact">${shop.card.contact}</p>
  </section>
  <nav class="quick" aria-label="快捷操作">
    ${QUICK_ACTIONS.map((a) => html`<button type="button" class="chip" data-ask="${a.ask}">${a.label}</button>`)}
  </nav>
  <div class="handoff-banner" id="handoff" hidden></div>
  <main class="chat" id="chat" aria-live="polite">
    <div class="msg assistant greeting"><span class="badge">${shop.card.advisorName}</span><div class="text">你好，我是${shop.card.advisorName}（${shop.card.advisorTitle}）。查订单、查物流、挑护肤彩妆都可以问我；需要的话也能帮你转人工客服。</div></div>
  </main>
  <p class="signin" id="signin" hidden>请从小程序里打开名片（缺少登录凭证）。</p>
  <form class="composer" id="composer" autocomplete="off">
    <input id="input" name="message" maxlength="2000" placeholder="问问${shop.card.advisorName}：订单、物流、护肤推荐…" aria-label="消息" />
    <button type="submit" id="send">发送</button>
  </form>
</div>`,
  });
}
