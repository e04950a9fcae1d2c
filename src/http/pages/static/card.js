// The AI card page. The chat streams the agent's reply (POST /v1/chat/stream, the AI SDK's UI
// message stream read as SSE); searchProducts results become product cards (a tap asks about the
// product), trackShipment results become tracking steps; a person's replies arrive over /v1/live
// and are marked 人工客服. EventSource reconnects by itself and resumes with Last-Event-ID.
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

  if (!token) {
    document.getElementById('signin').hidden = false;
    form.hidden = true;
    return;
  }

  function scrollDown() {
    chat.scrollTop = chat.scrollHeight;
  }

  function bubble(role, text, id) {
    if (id) shown.add(id);
    const who = role === 'user' ? null : role === 'staff' ? el('span', { class: 'badge staff' }, '人工客服') : el('span', { class: 'badge' }, advisor);
    const textNode = el('div', { class: 'text' }, text || '');
    const node = el('div', { class: 'msg ' + role, dataset: id ? { id } : {} }, who, textNode, el('div', { class: 'extras' }));
    chat.append(node);
    scrollDown();
    return node;
  }

  function productCards(products) {
    if (!products || !products.length) return null;
    return el(
      'div',
      { class: 'products' },
      products.map((p) =>
        el(
          'button',
          { type: 'button', class: 'product', onclick: () => send('详细说说「' + p.name + '」这款') },
          el('span', { class: 'name' }, p.name),
          el('span', { class: 'meta' }, [p.brand, p.category].filter(Boolean).join(' · ')),
          el('span', { class: 'tags' }, [...(p.skinTypes || []), ...(p.effects || [])].slice(0, 3).join(' / ')),
          el('span', { class: 'price' }, p.price),
          el('span', { class: 'ask' }, p.inStock === false ? '暂时缺货' : '问问这款 ›'),
        ),
      ),
    );
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
    busy = true;
    form.classList.add('busy');
    bubble('user', text);
    const answer = bubble('assistant', '');
    answer.classList.add('typing');
    const textNode = answer.querySelector('.text');
    const tools = {};
    try {
      const res = await fetch('/v1/chat/stream', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
        body: JSON.stringify(conversationId ? { message: text, conversationId } : { message: text }),
      });
      if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error?.message || res.statusText);
      conversationId = res.headers.get('x-conversation-id') || conversationId;
      sessionStorage.setItem(convKey, conversationId);
      await readSse(res, (chunk) => {
        if (chunk.type === 'text-delta') {
          answer.classList.remove('typing');
          textNode.textContent += chunk.delta;
          scrollDown();
        } else if (chunk.type === 'tool-input-available') tools[chunk.toolCallId] = chunk.toolName;
        else if (chunk.type === 'tool-output-available') renderTool(answer, tools[chunk.toolCallId], chunk.output);
        else if (chunk.type === 'finish' && chunk.messageMetadata) showHandoff(chunk.messageMetadata.handoff || null);
        else if (chunk.type === 'error') textNode.textContent = '抱歉，刚刚出了点问题，请再试一次。';
      });
      answer.classList.remove('typing');
      if (!textNode.textContent && !answer.querySelector('.extras').childElementCount) answer.remove();
    } catch (e) {
      answer.classList.remove('typing');
      textNode.textContent = '发送失败：' + e.message;
      answer.classList.add('failed');
    } finally {
      busy = false;
      form.classList.remove('busy');
    }
  }

  async function loadHistory() {
    if (!conversationId) return;
    try {
      const conv = await api(token, 'GET', '/v1/conversations/' + encodeURIComponent(conversationId));
      for (const m of conv.messages) {
        if (shown.has(m.id)) continue;
        const node = bubble(m.role, m.content, m.id);
        for (const c of m.toolCalls || []) renderTool(node, c.name, c.output);
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

  followLive();
  loadHistory();
})();
