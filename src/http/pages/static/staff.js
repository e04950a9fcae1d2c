// The staff console. The queue and the open ticket refresh when /v1/live announces a change (no
// polling); SLA countdowns tick locally from the server's service-time figures. An admin also sees
// the questions the card could not answer (GET /v1/admin/reports/gaps), and "写答案" turns one into
// a knowledge document (POST /v1/admin/knowledge) that the card answers from at once.
'use strict';

(() => {
  const { el, takeToken, api, shortTime, clock } = window.Laotie;
  const $ = (id) => document.getElementById(id);
  const KEY = 'laotie.staffToken';
  let token = takeToken(KEY);
  let current = null; // the open ticket's detail
  let queue = [];
  let fetchedAt = 0;
  const shown = new Set();

  if (!token) {
    $('signin').hidden = false;
    $('signin').addEventListener('submit', (ev) => {
      ev.preventDefault();
      sessionStorage.setItem(KEY, $('token').value.trim());
      location.reload();
    });
    return;
  }

  const ROLE_LABELS = { user: '顾客', assistant: 'AI', staff: '人工客服' };

  function showError(e) {
    $('error').textContent = e ? (e.status === 409 ? '冲突：' : '出错：') + e.message : '';
  }

  function slaText(t, elapsed) {
    if (t.sla.secondsLeft === null) return t.sla.breached ? '已回复（超时）' : '已回复';
    const left = t.sla.secondsLeft - (t.sla.running ? elapsed : 0);
    if (!t.sla.running) return '非服务时间 · 剩 ' + clock(left);
    return left < 0 ? '超时 ' + clock(-left) : '剩 ' + clock(left);
  }

  function tick() {
    const elapsed = (Date.now() - fetchedAt) / 1000;
    for (const t of queue) {
      const node = document.querySelector('[data-sla="' + t.id + '"]');
      if (!node) continue;
      node.textContent = slaText(t, elapsed);
      const answered = t.sla.secondsLeft === null;
      const left = answered ? 0 : t.sla.secondsLeft - (t.sla.running ? elapsed : 0);
      node.classList.toggle('breached', t.sla.breached || (!answered && left < 0));
      node.classList.toggle('soon', !answered && left >= 0 && left < 60);
    }
  }

  async function loadQueue() {
    const q = await api(token, 'GET', '/v1/staff/queue');
    queue = q.tickets;
    fetchedAt = Date.now();
    $('duty').textContent = (q.onDuty ? '服务中 ' : '非服务时间 ') + q.serviceHours.start + '–' + q.serviceHours.end;
    $('duty').className = 'duty ' + (q.onDuty ? 'on' : 'off');
    $('queue-count').textContent = String(queue.length);
    $('queue-empty').hidden = queue.length > 0;
    $('queue').replaceChildren(
      ...queue.map((t) =>
        el(
          'li',
          { class: 'item' + (current && current.ticket.id === t.id ? ' selected' : '') + (t.angry ? ' angry' : ''), dataset: { ticket: t.id }, onclick: () => openTicket(t.id) },
          el('div', { class: 'row' }, el('strong', {}, t.nickname || '顾客 ' + t.shopperId), el('span', { class: 'tier tier-' + t.tier }, t.tierLabel), el('span', { class: 'prio' }, 'P' + t.priority)),
          el('div', { class: 'row reasons' }, t.reasons.map((r) => r.label).join('、')),
          el('div', { class: 'row' }, el('span', { class: 'status ' + t.status }, t.statusLabel), t.place ? el('span', { class: 'place' }, '排第 ' + t.place + ' 位') : null, el('span', { class: 'sla', dataset: { sla: t.id } }, '')),
        ),
      ),
    );
    tick();
    return q;
  }

  async function loadStats() {
    const s = await api(token, 'GET', '/v1/staff/stats');
    $('stats').textContent = '近' + s.days + '天：待接入 ' + s.open + ' · 处理中 ' + s.claimed + ' · 已解决 ' + s.resolved + ' · SLA 超时 ' + s.breached;
  }

  // Which model wrote an AI reply: the offline model, the service's, or the shop's own, by name.
  function answeredByNode(by) {
    if (!by) return null;
    const label = by.source === 'offline' ? '离线模型' : (by.source === 'shop' ? '本店模型 ' : '服务模型 ') + by.model;
    return el('span', { class: 'model model-' + by.source, title: by.model }, label);
  }

  function messageNode(m) {
    shown.add(m.id);
    return el(
      'div',
      { class: 'msg ' + m.role, dataset: { id: m.id } },
      el('div', { class: 'who' }, ROLE_LABELS[m.role] || m.role, answeredByNode(m.answeredBy), el('time', {}, shortTime(m.createdAt))),
      el('div', { class: 'text' }, m.content),
      m.toolCalls && m.toolCalls.length ? el('div', { class: 'tools' }, '工具：' + m.toolCalls.map((c) => c.name).join('、')) : null,
    );
  }

  function renderTicket(d) {
    const t = d.ticket;
    current = d;
    shown.clear();
    $('ticket-head').replaceChildren(
      el('h2', {}, (d.shopper ? d.shopper.nickname : '顾客') + ' ', el('span', { class: 'tier tier-' + t.tier }, t.tierLabel), ' ', el('span', { class: 'status ' + t.status }, t.statusLabel)),
      el('p', { class: 'muted' }, '#' + t.id + ' · ' + t.reasons.map((r) => r.label).join('、') + ' · 优先级 P' + t.priority + (t.claimedBy ? ' · 认领：' + t.claimedBy : '')),
    );
    $('messages').replaceChildren(...d.messages.map(messageNode));
    $('messages').scrollTop = $('messages').scrollHeight;
    const open = t.status === 'open' || t.status === 'claimed';
    $('reply').hidden = !open;
    $('claim').hidden = t.status !== 'open';
    showError(null);

    const s = d.summary || {};
    $('summary').replaceChildren(
      el('p', {}, el('strong', {}, '原因：'), (s.reasons || []).map((r) => r.label).join('；')),
      s.note ? el('p', {}, el('strong', {}, 'AI 备注：'), s.note) : null,
      el('p', {}, el('strong', {}, '顾客问：')),
      el('ul', {}, (s.asked || []).map((a) => el('li', {}, a))),
      el('p', {}, el('strong', {}, 'AI 已尝试：')),
      el('ul', {}, (s.tried || []).length ? s.tried.map((c) => el('li', {}, c.tool + (c.input ? '（' + c.input + '）' : '') + ' → ' + c.result)) : [el('li', { class: 'muted' }, '未调用工具')]),
      el('p', {}, el('strong', {}, 'AI 最后回复：')),
      el('ul', {}, (s.replies || []).map((r) => el('li', {}, r))),
    );
    const p = d.shopper || {};
    const rows = [
      ['昵称', p.nickname],
      ['等级', p.tierLabel],
      ['链动身份', p.referralLabel],
      ['肤质', p.skinType || '未知'],
      ['手机', p.phone || '—'],
      ['画像', p.profileSummary || '—'],
    ];
    $('profile').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
    $('orders').replaceChildren(
      ...(d.orders.length ? d.orders.map((o) => el('li', {}, el('code', {}, o.orderNo), ' ', el('span', { class: 'status' }, o.statusLabel), ' ', o.pay, ' ', el('span', { class: 'muted' }, shortTime(o.createdAt)))) : [el('li', { class: 'muted' }, '暂无订单')]),
    );
    $('notes').replaceChildren(
      ...d.actions.filter((a) => a.action === 'note').map((a) => el('li', {}, el('span', { class: 'muted' }, a.actor + ' ' + shortTime(a.createdAt) + '：'), a.payload.text)),
    );
    $('context').hidden = false;
    for (const li of document.querySelectorAll('#queue .item')) li.classList.toggle('selected', li.dataset.ticket === String(t.id));
  }

  let wanted = null; // the ticket last asked for: a slower, older answer must not replace it
  async function openTicket(id) {
    wanted = id;
    try {
      const detail = await api(token, 'GET', '/v1/staff/tickets/' + id);
      if (wanted === id) renderTicket(detail);
    } catch (e) {
      showError(e);
    }
  }

  async function act(path, body) {
    if (!current) return;
    showError(null);
    try {
      const res = await api(token, 'POST', '/v1/staff/tickets/' + current.ticket.id + path, body);
      await openTicket(current.ticket.id);
      return res;
    } catch (e) {
      showError(e);
    }
  }

  $('claim').addEventListener('click', () => act('/claim'));
  $('reply').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = $('reply-text').value.trim();
    if (!text) return;
    if (await act('/reply', { text })) $('reply-text').value = '';
  });
  $('suggest').addEventListener('click', async () => {
    if (!current) return;
    $('suggest').disabled = true;
    try {
      const s = await api(token, 'GET', '/v1/staff/tickets/' + current.ticket.id + '/suggestion');
      $('reply-text').value = s.text;
    } catch (e) {
      showError(e);
    } finally {
      $('suggest').disabled = false;
    }
  });
  $('resolve').addEventListener('click', () => {
    const outcome = $('outcome').value.trim();
    if (!outcome) return showError({ message: '请先填写处理结果' });
    act('/resolve', { outcome }).then((r) => r && ($('outcome').value = ''));
  });
  $('handback').addEventListener('click', () => act('/handback', {}));
  $('note-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = $('note').value.trim();
    if (!text) return;
    if (await act('/notes', { text })) $('note').value = '';
  });

  const GAP_REASONS = { fallback: '没听懂', no_knowledge: '知识库无答案', handoff: '转人工', thumbs_down: '顾客点了没帮助' };
  const percent = (r) => (r === null ? '—' : Math.round(r * 1000) / 10 + '%');
  // A local day: YYYY-MM-DD. The period ends tomorrow: the shop's day may be ahead of this browser's.
  const dayFrom = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  async function loadGaps() {
    let r, docs;
    try {
      [r, docs] = await Promise.all([
        api(token, 'GET', '/v1/admin/reports/gaps?from=' + dayFrom(-30) + '&to=' + dayFrom(1)),
        api(token, 'GET', '/v1/admin/knowledge'),
      ]);
    } catch (e) {
      // Only an admin may read it: staff see the queue alone.
      if (e.status === 403) return;
      throw e;
    }
    const t = r.totals;
    $('gaps-panel').hidden = false;
    $('gaps-count').textContent = String(r.gapTurns);
    $('gaps-rates').textContent = '近 30 天：未答率 ' + percent(t.unansweredRate) + ' · 差评率 ' + percent(t.thumbsDownRate) + ' · 自动化率 ' + percent(t.automationRate);
    $('gaps-empty').hidden = r.gaps.length > 0;
    // A question answered already (its document is there) says so instead of asking again.
    const written = new Map(docs.documents.map((d) => [d.docKey, d.title]));
    $('gaps').replaceChildren(...r.gaps.map((g) => gapNode(g, written.get('gap-' + g.id))));
  }

  function gapNode(g, answeredAs) {
    const [question, ...also] = g.examples;
    const reasons = Object.entries(g.reasons).map(([k, n]) => (GAP_REASONS[k] || k) + ' ' + n);
    const node = el(
      'li',
      { class: 'gap', dataset: { gap: g.id } },
      el('div', { class: 'question' }, question),
      also.length ? el('div', { class: 'also' }, '也问：' + also.join('；')) : null,
      el('div', { class: 'meta' }, g.count + ' 次 · 最近 ' + shortTime(g.lastSeen) + ' · ' + reasons.join('、')),
    );
    if (answeredAs !== undefined) {
      node.append(el('div', { class: 'done' }, '已写入知识库《' + answeredAs + '》'));
      return node;
    }
    const write = el('button', { type: 'button', class: 'write', onclick: () => openAnswer(node, g, write) }, '写答案');
    node.append(write);
    return node;
  }

  /** The answer form: a title (the question, editable) and the answer, saved as one document. */
  function openAnswer(node, g, write) {
    write.hidden = true;
    const title = el('input', { class: 'title', maxlength: 120, value: g.examples[0], 'aria-label': '标题' });
    const answer = el('textarea', { class: 'answer', rows: 4, maxlength: 4000, placeholder: '写下顾客会看到的答案', 'aria-label': '答案' });
    const status = el('div', { class: 'error', role: 'alert' });
    const form = el(
      'form',
      {
        onsubmit: async (ev) => {
          ev.preventDefault();
          const heading = title.value.trim();
          const text = answer.value.trim();
          if (!heading || !text) return (status.textContent = '标题和答案都要填写');
          // The other ways the question was asked go into the document too, so a search finds them.
          const asked = g.examples.filter((q) => q !== heading);
          const content = '## ' + heading + '\n' + text + (asked.length ? '\n\n顾客也这样问：' + asked.join('；') : '');
          form.querySelector('button').disabled = true;
          try {
            await api(token, 'POST', '/v1/admin/knowledge', { docKey: 'gap-' + g.id, title: heading, content });
            form.replaceWith(el('div', { class: 'done' }, '已写入知识库《' + heading + '》'));
          } catch (e) {
            status.textContent = '保存失败：' + e.message;
            form.querySelector('button').disabled = false;
          }
        },
      },
      title,
      answer,
      el('button', { type: 'submit', class: 'primary' }, '保存到知识库'),
      status,
    );
    node.append(form);
    answer.focus();
  }

  let refresh = null;
  function refreshSoon(ticketId) {
    // Several events of one action arrive together: one reload for all of them.
    clearTimeout(refresh);
    refresh = setTimeout(() => {
      loadQueue().catch(showError);
      loadStats().catch(() => {});
      if (current && (ticketId === undefined || ticketId === current.ticket.id)) openTicket(current.ticket.id);
    }, 100);
  }

  function followLive(cursor) {
    const source = new EventSource('/v1/live?token=' + encodeURIComponent(token) + '&lastEventId=' + cursor);
    source.addEventListener('ticket', (ev) => refreshSoon(JSON.parse(ev.data).ticketId));
    source.addEventListener('message', (ev) => {
      const e = JSON.parse(ev.data);
      if (!current || e.conversationId !== current.ticket.conversationId || shown.has(e.payload.id)) return;
      $('messages').append(messageNode(e.payload));
      $('messages').scrollTop = $('messages').scrollHeight;
    });
    source.addEventListener('ready', () => {
      $('live').textContent = '● 实时';
      $('live').classList.add('on');
    });
    source.addEventListener('error', () => {
      $('live').textContent = '● 重连中';
      $('live').classList.remove('on');
    });
  }

  setInterval(tick, 1000);
  loadQueue()
    .then((q) => {
      followLive(q.liveCursor);
      const first = queue[0];
      if (first) openTicket(first.id);
    })
    .catch((e) => {
      if (e.status === 401 || e.status === 403) {
        sessionStorage.removeItem(KEY);
        $('signin').hidden = false;
      }
      showError(e);
    });
  loadStats().catch(() => {});
  loadGaps().catch(showError);
})();
