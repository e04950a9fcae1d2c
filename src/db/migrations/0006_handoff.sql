-- Handoff to a person (docs/domain.md §10 Handoff): tickets with priority and an SLA counted in
-- service hours, every staff action logged, and the live events that pages follow over SSE.

CREATE TABLE handoff_tickets (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL,
  conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  shopper_id bigint NOT NULL,
  -- open (waiting for a person) → claimed (a person owns it) → resolved | handed_back
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'claimed', 'resolved', 'handed_back')),
  -- the first reason; later triggers on the same open ticket are added to reasons
  reason text NOT NULL CHECK (reason IN ('asked_for_human', 'angry', 'unresolved', 'money', 'tool_failure', 'low_confidence')),
  reasons text[] NOT NULL,
  -- who asked: 'model' (the requestHandoff tool) or 'rules' (server-side triggers)
  source text NOT NULL CHECK (source IN ('model', 'rules')),
  -- higher is more urgent: tier rank (老铁 > core > potential > others) plus one when angry
  priority int NOT NULL CHECK (priority BETWEEN 1 AND 9),
  tier text NOT NULL,
  angry boolean NOT NULL DEFAULT false,
  sla_minutes int NOT NULL CHECK (sla_minutes > 0),
  -- created_at plus sla_minutes of service hours: the clock stops while no staff are on duty
  due_at timestamptz NOT NULL,
  -- the agent's summary for staff: written from data at escalation, refreshed after the turn
  summary jsonb NOT NULL DEFAULT '{}'::jsonb,
  summary_text text NOT NULL DEFAULT '',
  note text NOT NULL DEFAULT '',
  claimed_by text,
  claimed_at timestamptz,
  first_reply_at timestamptz,
  closed_by text,
  closed_at timestamptz,
  outcome text,
  created_at timestamptz NOT NULL,
  FOREIGN KEY (shop_id, shopper_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE
);
-- One open ticket per conversation: a second escalation joins the open one.
CREATE UNIQUE INDEX handoff_tickets_one_open ON handoff_tickets (conversation_id) WHERE status IN ('open', 'claimed');
CREATE INDEX handoff_tickets_queue ON handoff_tickets (shop_id, priority DESC, created_at) WHERE status IN ('open', 'claimed');
CREATE INDEX handoff_tickets_shop_created ON handoff_tickets (shop_id, created_at DESC);

-- Who did what to a ticket, and when (claims, replies, notes, resolutions, hand-backs).
CREATE TABLE ticket_actions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL,
  ticket_id bigint NOT NULL REFERENCES handoff_tickets(id) ON DELETE CASCADE,
  action text NOT NULL CHECK (action IN ('open', 'escalate', 'claim', 'reply', 'note', 'resolve', 'handback')),
  -- 'staff:<id>', 'admin:<id>', 'model' or 'rules'
  actor text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_actions_ticket ON ticket_actions (ticket_id, id);

-- Live events for the pages. The id orders them: a client that reconnects with Last-Event-ID reads
-- the rows after it, whichever replica it reaches. NOTIFY only wakes the replicas' hubs.
CREATE TABLE live_events (
  id bigserial PRIMARY KEY,
  shop_id text NOT NULL,
  -- the shopper whose conversation it concerns: their page gets the events of audience 'all'
  shopper_id bigint,
  conversation_id uuid,
  ticket_id bigint,
  kind text NOT NULL CHECK (kind IN ('message', 'ticket', 'handoff')),
  -- 'all': the shopper of the conversation and the shop's staff; 'staff': staff only
  audience text NOT NULL CHECK (audience IN ('all', 'staff')),
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX live_events_shop ON live_events (shop_id, id);
CREATE INDEX live_events_shopper ON live_events (shop_id, shopper_id, id);
