// GET /staff — the staff console: the queue with SLA countdowns, the conversation with the summary,
// the shopper's profile and orders beside it, and the actions; for an admin, the questions the card
// could not answer, each with "写答案" that makes it a knowledge document. Sign-in with a staff token
// (#token=… in the URL fragment, or pasted into the sign-in box).
import { html } from 'hono/html';
import { page } from './layout.ts';

export function staffPage() {
  return page({
    title: '老铁 · 客服工作台',
    styles: ['/static/staff.css'],
    scripts: ['/static/common.js', '/static/staff.js'],
    data: {},
    body: html`<div class="console">
  <header class="bar">
    <h1>客服工作台</h1>
    <span id="duty" class="duty"></span>
    <span id="stats" class="stats"></span>
    <span id="live" class="live" title="实时连接">● 连接中</span>
  </header>
  <form id="signin" class="signin" hidden>
    <label>员工令牌 <input id="token" type="password" autocomplete="off" /></label>
    <button type="submit">登录</button>
  </form>
  <aside class="queue">
    <h2>待处理 <span id="queue-count"></span></h2>
    <ol id="queue"></ol>
    <p id="queue-empty" class="muted" hidden>暂无转人工的对话</p>
    <section id="gaps-panel" class="gaps" hidden>
      <h2>未答问题 <span id="gaps-count"></span></h2>
      <p id="gaps-rates" class="muted"></p>
      <ol id="gaps"></ol>
      <p id="gaps-empty" class="muted" hidden>近 30 天没有答不上的问题</p>
    </section>
  </aside>
  <main class="conversation">
    <div id="ticket-head" class="ticket-head"><p class="muted">从左侧选择一个对话</p></div>
    <div id="messages" class="messages" aria-live="polite"></div>
    <form id="reply" class="reply" hidden>
      <textarea id="reply-text" rows="3" maxlength="2000" placeholder="回复顾客（顾客会看到“人工客服”）"></textarea>
      <div class="actions">
        <button type="button" id="claim">认领</button>
        <button type="button" id="suggest">AI 建议回复</button>
        <button type="submit" id="send" class="primary">发送</button>
      </div>
      <div class="actions">
        <input id="outcome" maxlength="500" placeholder="处理结果（解决时必填）" />
        <button type="button" id="resolve">标记解决</button>
        <button type="button" id="handback">交回 AI</button>
      </div>
      <p id="error" class="error" role="alert"></p>
    </form>
  </main>
  <aside class="context" id="context" hidden>
    <section><h2>摘要</h2><div id="summary"></div></section>
    <section><h2>顾客</h2><dl id="profile"></dl></section>
    <section><h2>最近订单</h2><ul id="orders"></ul></section>
    <section>
      <h2>内部备注</h2>
      <ul id="notes"></ul>
      <form id="note-form" class="note-form"><input id="note" maxlength="2000" placeholder="仅员工可见" /><button type="submit">添加</button></form>
    </section>
  </aside>
</div>`,
  });
}
