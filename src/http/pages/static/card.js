// The AI card page. The chat streams the agent's reply (POST /v1/chat/stream, the AI SDK's UI
// message stream read as SSE); searchProducts results and the products the reply is about become
// product cards (a tap asks about the product, 「去看看」 opens its page in the mall's mini-program),
// trackShipment results become tracking steps; an action that waits for the shopper's yes
// (a tool-approval request, docs/domain.md §14 Confirmation) shows what it will do with 确认 / 取消,
// and a tap answers as useChat's addToolApprovalResponse does; a person's replies arrive over
// /v1/live and are marked 人工客服. EventSource reconnects by itself and resumes with Last-Event-ID.
// On opening, the reminders delivered to the card since the shopper last looked (a birthday wish, a
// refill reminder …, docs/domain.md §8 Reminders) are shown with their coupon, whichever conversation
// they were written to, then marked seen so that the next opening does not show them again.
// Each AI reply carries 有帮助 / 没帮助 (POST /v1/chat/rating): a thumbs-down shows the shop's
// operator a question the card fell short on.
'use strict';

(() => {
  const { el, takeToken, api, readSse, shortTime } = window.Laotie;
  const shopId = document.body.dataset.shopId;
  const advisor = document.body.dataset.advisorName;
  const chat = document.getElementById('chat');
  const form = document.getElementById('composer');
  const input = document.getElementById('input');
  const banner = document.getElementById('handoff');
  const token = takeToken('laotie.card.' + shopId);
  const convKey = 'laotie.conversation.' + shopId;
  let conversationId = sessionStorage.getItem(convKey);
  const shown = new Set(); // message ids already on the page
  let busy = false;
  let openAsk = null; // the 确认 / 取消 box of the action still waiting for an answer
  let askSeq = 0;
  const WX_SDK = 'https://res.wx.qq.com/open/js/jweixin-1.6.0.js';

  if (!token) {
    document.getElementById('signin').hidden = false;
    form.hidden = true;
    return;
  }

  function scrollDown() {
    chat.scrollTop = chat.scrollHeight;
  }

  // What was said before this page opened (the conversation's history, the reminders not seen yet)
  // goes here, above the page's own turns, however late it arrives: a question typed at once keeps
  // its answer last.
  const opening = el('div', { class: 'opening' });
  chat.append(opening);

  function bubble(role, text, id, into = chat) {
    if (id) shown.add(id);
    const who = role === 'user' ? null : role === 'staff' ? el('span', { class: 'badge staff' }, '人工客服') : el('span', { class: 'badge' }, advisor);
    const textNode = el('div', { class: 'text' }, text || '');
    const node = el('div', { class: 'msg ' + role, dataset: id ? { id } : {} }, who, textNode, el('div', { class: 'extras' }));
    into.append(node);
    scrollDown();
    return node;
  }

  /** 有帮助 / 没帮助 under an AI reply; the latest tap is the rating kept (a second tap of the other replaces it). */
  function rateButtons(node, messageId, current) {
    const box = el('div', { class: 'rate', role: 'group', 'aria-label': '这个回答有帮助吗' });
    // Words, not emoji: not every phone's font has them.
    const button = (rating, label) =>
      el('button', { type: 'button', class: rating, 'aria-pressed': String(current === rating), onclick: () => rate(box, messageId, rating) }, label);
    box.append(button('up', '有帮助'), button('down', '没帮助'));
    node.append(box);
  }

  async function rate(box, messageId, rating) {
    const buttons = box.querySelectorAll('button');
    for (const b of buttons) b.disabled = true;
    try {
      await api(token, 'POST', '/v1/chat/rating', { messageId, rating });
      for (const b of buttons) b.setAttribute('aria-pressed', String(b.classList.contains(rating)));
      box.dataset.rated = rating;
    } catch (e) {
      box.dataset.error = e.message;
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  }

  /**
   * Opens a product's page in the mall. The card cannot take orders (docs/domain.md §2 Buying): inside
   * the mini-program's web-view the page is opened with wx.miniProgram.navigateTo; in a plain browser
   * there is no mall to open, so the card says where to buy instead.
   */
  function goBuy(card, page) {
    const mp = window.wx && window.wx.miniProgram;
    const note = (text) => {
      const old = card.querySelector('.go-note');
      if (old) old.remove();
      card.append(el('span', { class: 'go-note', role: 'status' }, text));
    };
    if (!mp || typeof mp.navigateTo !== 'function') return note('在小程序里打开名片，就能去商品页下单');
    mp.navigateTo({ url: page, fail: () => note('商品页没打开，请在商城里搜一下这款') });
  }

  function productCard(p) {
    const card = el(
      'div',
      { class: 'product', dataset: { productId: String(p.id) } },
      el(
        'button',
        { type: 'button', class: 'about', onclick: () => send('详细说说「' + p.name + '」这款') },
        el('span', { class: 'name' }, p.name),
        el('span', { class: 'meta' }, [p.brand, p.category].filter(Boolean).join(' · ')),
        el('span', { class: 'tags' }, [...(p.skinTypes || []), ...(p.effects || [])].slice(0, 3).join(' / ')),
        el('span', { class: 'price' }, p.price),
        el('span', { class: 'ask' }, p.inStock === false ? '暂时缺货' : '问问这款 ›'),
      ),
    );
    if (p.page) card.append(el('button', { type: 'button', class: 'go', onclick: () => goBuy(card, p.page) }, '去看看'));
    return card;
  }

  function productCards(products) {
    if (!products || !products.length) return null;
    return el('div', { class: 'products' }, products.map(productCard));
  }

  /** The products the reply is about (the turn's products), those not already shown under it. */
  function renderProducts(node, products) {
    const shownIds = new Set([...node.querySelectorAll('.product')].map((c) => c.dataset.productId));
    const part = productCards((products || []).filter((p) => !shownIds.has(String(p.id))));
    if (part) node.querySelector('.extras').append(part);
    scrollDown();
  }

  function trackingSteps(out) {
    if (!out || !out.shipment) return null;
    const s = out.shipment;
    const trail = (s.trail || []).slice().reverse();
    return el(
      'div',
      { class: 'tracking' },
      el('div', { class: 'head' }, el('strong', {}, s.carrier + ' ' + s.trackingNo), el('span', { class: 'status' }, s.statusLabel)),
      el('div', { class: 'order' }, '订单 ' + out.orderNo + (s.eta ? ' · 预计 ' + shortTime(s.eta) + ' 送达' : '')),
      el(
        'ol',
        { class: 'steps' },
        trail.map((e, i) =>
          el('li', { class: i === 0 ? 'latest' : '' }, el('span', { class: 'when' }, shortTime(e.at)), el('span', { class: 'what' }, e.location && !e.description.includes(e.location) ? e.location + ' · ' + e.description : e.description)),
        ),
      ),
    );
  }

  /**
   * What a stated action will do, with 确认 / 取消. Only the latest one can be answered: a new
   * message (typed, or another action stated) settles or replaces it on the server, so its box closes.
   */
  function renderAsk(node, messageId, call, approvalId) {
    closeAsk();
    const summaryId = 'ask-' + ++askSeq;
    const ask = { messageId, call, approvalId };
    // Enabled once the turn that asks has finished streaming (enableAsk).
    const button = (label, approved) =>
      el('button', { type: 'button', class: approved ? 'yes' : 'no', 'aria-describedby': summaryId, disabled: true, onclick: () => answerAsk(ask, approved) }, label);
    ask.box = el(
      'div',
      { class: 'confirm', role: 'group', 'aria-label': '待你确认的操作' },
      el('div', { class: 'ask-title' }, '请确认这项操作'),
      el('div', { class: 'summary', id: summaryId }, call.output.summary),
      el('div', { class: 'actions' }, button('确认', true), button('取消', false)),
    );
    node.querySelector('.extras').append(ask.box);
    openAsk = ask;
    scrollDown();
  }

  function closeAsk(approved) {
    if (!openAsk) return;
    for (const b of openAsk.box.querySelectorAll('button')) {
      b.disabled = true;
      if (approved !== undefined) b.setAttribute('aria-pressed', String(b.classList.contains(approved ? 'yes' : 'no')));
    }
    openAsk.box.classList.add('answered');
    openAsk = null;
  }

  function enableAsk() {
    if (openAsk) for (const b of openAsk.box.querySelectorAll('button')) b.disabled = false;
  }

  /** A tap answers as useChat sends an approval: the asking assistant message, its tool part answered. */
  async function answerAsk(ask, approved) {
    if (busy || ask !== openAsk) return;
    const { messageId, call, approvalId } = ask;
    const part = { type: 'tool-' + call.name, toolCallId: call.toolCallId, state: 'approval-responded', input: call.input, approval: { id: approvalId, approved } };
    closeAsk(approved);
    const outcome = await turn(approved ? '确认' : '取消', { messages: [{ id: messageId, role: 'assistant', parts: [part] }] });
    if (outcome === 'unsent') reopenAsk(ask);
  }

  /** The server never took the answer (offline, refused): the action still waits for one. */
  function reopenAsk(ask) {
    if (!ask || openAsk) return;
    ask.box.classList.remove('answered');
    for (const b of ask.box.querySelectorAll('button')) b.removeAttribute('aria-pressed');
    openAsk = ask;
    enableAsk();
  }

  function renderTool(node, name, output) {
    const extras = node.querySelector('.extras');
    const part = name === 'searchProducts' ? productCards(output && output.products) : name === 'trackShipment' ? trackingSteps(output) : null;
    if (part) extras.append(part);
    scrollDown();
  }

  /** The banner follows the conversation's open ticket; no ticket (the AI answers) hides it. */
  function showHandoff(h) {
    const status = h ? h.status : null;
    let text = '';
    if (status === 'open' && h.onDuty) text = '正在为你转接人工客服' + (h.expectedWithinMinutes ? '，预计 ' + h.expectedWithinMinutes + ' 分钟内回复' : '') + '…';
    else if (status === 'open') text = '人工客服下班了，上班后会优先联系你；' + advisor + '先继续帮你。';
    else if (status === 'claimed') text = '人工客服已接入，正在为你服务';
    else if (status === 'resolved' || status === 'handed_back') text = '人工客服已结束服务，' + advisor + '继续为你服务';
    banner.textContent = text;
    banner.hidden = !text;
    banner.className = 'handoff-banner ' + (status || '');
  }

  async function send(text) {
    text = (text || '').trim();
    if (!text || busy) return;
    // A typed message answers a waiting action too (the server reads it as yes, no or moving on).
    const waiting = openAsk;
    closeAsk();
    if ((await turn(text, { message: text })) === 'unsent') reopenAsk(waiting);
  }

  /** One turn: the shopper's words on the page, `payload` to the server, the streamed answer shown. */
  async function turn(said, payload) {
    busy = true;
    form.classList.add('busy');
    bubble('user', said);
    const answer = bubble('assistant', '');
    answer.classList.add('typing');
    const textNode = answer.querySelector('.text');
    const tools = {};
    let messageId;
    let taken = false; // the server accepted the request (and so read any answer in it)
    try {
      const res = await fetch('/v1/chat/stream', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
        body: JSON.stringify(conversationId ? { ...payload, conversationId } : payload),
      });
      if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error?.message || res.statusText);
      taken = true;
      conversationId = res.headers.get('x-conversation-id') || conversationId;
      sessionStorage.setItem(convKey, conversationId);
      await readSse(res, (chunk) => {
        if (chunk.type === 'text-delta') {
          answer.classList.remove('typing');
          textNode.textContent += chunk.delta;
          scrollDown();
        } else if (chunk.type === 'start') messageId = chunk.messageId;
        else if (chunk.type === 'tool-input-available') tools[chunk.toolCallId] = { toolCallId: chunk.toolCallId, name: chunk.toolName, input: chunk.input };
        else if (chunk.type === 'tool-output-available' && tools[chunk.toolCallId]) {
          tools[chunk.toolCallId].output = chunk.output;
          renderTool(answer, tools[chunk.toolCallId].name, chunk.output);
        } else if (chunk.type === 'tool-approval-request' && tools[chunk.toolCallId]?.output) renderAsk(answer, messageId, tools[chunk.toolCallId], chunk.approvalId);
        else if (chunk.type === 'finish' && chunk.messageMetadata) {
          showHandoff(chunk.messageMetadata.handoff || null);
          // Only a reply the AI wrote has an id of its own here (a person's turn has none).
          if (chunk.messageMetadata.messageId) {
            answer.dataset.id = chunk.messageMetadata.messageId;
            shown.add(chunk.messageMetadata.messageId);
            rateButtons(answer, chunk.messageMetadata.messageId, null);
          }
          renderProducts(answer, chunk.messageMetadata.products);
        }
        else if (chunk.type === 'error') textNode.textContent = '抱歉，刚刚出了点问题，请再试一次。';
      });
      answer.classList.remove('typing');
      if (!textNode.textContent && !answer.querySelector('.extras').childElementCount) answer.remove();
      return 'answered';
    } catch (e) {
      answer.classList.remove('typing');
      textNode.textContent = '发送失败：' + e.message;
      answer.classList.add('failed');
      return taken ? 'failed' : 'unsent';
    } finally {
      busy = false;
      form.classList.remove('busy');
      enableAsk();
    }
  }

  /** '2026-09-24' → '9月24日' */
  function monthDay(date) {
    const [, m, d] = (date || '').split('-');
    return m && d ? Number(m) + '月' + Number(d) + '日' : '';
  }

  function couponTicket(c) {
    const state = c.status === 'used' ? '已使用' : c.status === 'expired' ? '已过期' : monthDay(c.lastDay) + '前有效';
    return el(
      'div',
      { class: 'coupon-ticket ' + c.status, role: 'note', 'aria-label': '附带的优惠券' },
      el('span', { class: 'rule' }, c.rule),
      el('span', { class: 'name' }, c.name),
      el('span', { class: 'until' }, state),
    );
  }

  /** What was delivered since the shopper last looked, wherever it landed: shown once, then marked seen. */
  async function showUnseenReminders() {
    let reminders;
    try {
      reminders = (await api(token, 'GET', '/v1/reminders/unseen')).reminders;
    } catch {
      return; // not shown, so not marked: the next opening offers them again
    }
    if (!reminders.length) return;
    for (const r of reminders) {
      // Already on the page when this tab's conversation is where it was delivered: marked as what it is.
      const node =
        (r.messageId && shown.has(r.messageId) && chat.querySelector('.msg[data-id="' + r.messageId + '"]')) || bubble('assistant', r.message, r.messageId, opening);
      node.classList.add('reminder');
      node.dataset.reminderId = r.id;
      node.querySelector('.badge').replaceChildren(advisor + ' · ' + r.label, el('span', { class: 'when' }, shortTime(r.sentAt)));
      if (r.coupon) node.querySelector('.extras').append(couponTicket(r.coupon));
    }
    await api(token, 'POST', '/v1/reminders/seen', { reminderIds: reminders.map((r) => r.id) }).catch(() => {});
  }

  async function loadHistory() {
    if (!conversationId) return;
    try {
      const conv = await api(token, 'GET', '/v1/conversations/' + encodeURIComponent(conversationId));
      for (const m of conv.messages) {
        if (shown.has(m.id)) continue;
        const node = bubble(m.role, m.content, m.id, opening);
        for (const c of m.toolCalls || []) renderTool(node, c.name, c.output);
        // Only the AI's replies carry a rating (null until given); a reminder or a person's does not.
        if ('rating' in m) rateButtons(node, m.id, m.rating);
        renderProducts(node, m.products);
      }
      showHandoff(conv.handoff);
    } catch (e) {
      if (e.status === 404) sessionStorage.removeItem(convKey), (conversationId = null);
    }
  }

  function followLive() {
    const source = new EventSource('/v1/live?token=' + encodeURIComponent(token));
    source.addEventListener('message', (ev) => {
      const e = JSON.parse(ev.data);
      const m = e.payload;
      // The page's own turns arrive through the chat stream; a person's replies only through here.
      if (m.role !== 'staff' || shown.has(m.id)) return;
      if (conversationId && e.conversationId !== conversationId) return;
      bubble('staff', m.content, m.id);
    });
    source.addEventListener('handoff', (ev) => {
      const e = JSON.parse(ev.data);
      if (conversationId && e.conversationId !== conversationId) return;
      // A ticket opened while staff are off duty leaves the conversation with the AI (mode 'ai').
      showHandoff({ status: e.payload.status, onDuty: e.payload.mode === 'human' });
    });
    source.addEventListener('ready', () => document.body.classList.add('live'));
    source.addEventListener('error', () => document.body.classList.remove('live'));
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = input.value;
    input.value = '';
    send(text);
  });
  for (const chip of document.querySelectorAll('.chip')) chip.addEventListener('click', () => send(chip.dataset.ask));

  // Inside the mini-program's web-view, wx.miniProgram comes from WeChat's JS-SDK; a plain browser
  // (and a page that already has it) loads nothing.
  if (!window.wx && /miniProgram/i.test(navigator.userAgent)) document.head.append(el('script', { src: WX_SDK }));

  followLive();
  loadHistory().then(showUnseenReminders);
})();
