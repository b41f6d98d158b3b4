-- 0009 alarms: the alarm queue, procedures, history, and the engine's cursor and state.

CREATE TABLE alarms (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	label TEXT NOT NULL,
	priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
	base_priority INTEGER NOT NULL CHECK (base_priority BETWEEN 1 AND 5),
	level INTEGER NOT NULL,                    -- the security level when raised
	source TEXT NOT NULL CHECK (source IN ('sensor', 'access', 'ais', 'training', 'manual')),
	source_key TEXT,                           -- 'sensor:12', 'reader:3', 'ais:MMSI'; NULL: never folded
	source_name TEXT,
	source_state TEXT,                         -- the source's last state (alarm, normal, ...)
	reason TEXT,
	zone_id INTEGER,
	lat REAL,
	lon REAL,
	state TEXT NOT NULL DEFAULT 'new'
		CHECK (state IN ('new', 'acknowledged', 'in_progress', 'resolved')),
	count INTEGER NOT NULL DEFAULT 1,          -- repeats folded in
	event_id INTEGER,                          -- the event that raised it
	raised_by TEXT NOT NULL,
	raised_ms INTEGER NOT NULL,
	last_ms INTEGER NOT NULL,
	acknowledged_by TEXT,
	acknowledged_ms INTEGER,
	assigned_to TEXT,
	assigned_ms INTEGER,
	resolved_by TEXT,
	resolved_ms INTEGER,
	outcome TEXT CHECK (outcome IS NULL OR outcome IN ('genuine', 'false_alarm', 'test', 'nuisance')),
	notes TEXT,
	escalations INTEGER NOT NULL DEFAULT 0,
	escalate_s INTEGER NOT NULL DEFAULT 0,
	next_escalation_ms INTEGER                 -- NULL: no escalation pending
);
CREATE INDEX alarms_open_source ON alarms(kind, source_key) WHERE state <> 'resolved';
CREATE INDEX alarms_queue ON alarms(priority, id);
CREATE INDEX alarms_open_queue ON alarms(priority, id) WHERE state <> 'resolved';
CREATE INDEX alarms_state ON alarms(state, priority, id);
CREATE INDEX alarms_escalation ON alarms(next_escalation_ms) WHERE next_escalation_ms IS NOT NULL;

-- The alarm's procedure, copied from its kind when raised.
CREATE TABLE alarm_steps (
	alarm_id INTEGER NOT NULL REFERENCES alarms(id),
	n INTEGER NOT NULL,                        -- 1, 2, ...
	text TEXT NOT NULL,
	required INTEGER NOT NULL,
	done INTEGER NOT NULL DEFAULT 0,
	done_by TEXT,
	done_ms INTEGER,
	note TEXT,
	PRIMARY KEY (alarm_id, n)
);

-- Every state change, repeat, escalation and step of an alarm.
CREATE TABLE alarm_history (
	id INTEGER PRIMARY KEY,
	alarm_id INTEGER NOT NULL REFERENCES alarms(id),
	at_ms INTEGER NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT '{}'          -- JSON
);
CREATE INDEX alarm_history_alarm ON alarm_history(alarm_id, id);

-- The last event the engine evaluated; it starts after the events already stored.
CREATE TABLE alarm_cursor (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	event_id INTEGER NOT NULL
);
INSERT INTO alarm_cursor(one, event_id) SELECT 1, coalesce(max(id), 0) FROM events;

-- Door contacts as the engine saw them (forced door, door held open).
CREATE TABLE alarm_doors (
	sensor_id INTEGER PRIMARY KEY,
	reader_id INTEGER,
	zone_id INTEGER,
	name TEXT,
	lat REAL,
	lon REAL,
	open INTEGER NOT NULL,
	opened_ms INTEGER,
	held_raised INTEGER NOT NULL DEFAULT 0
);

-- Recent grants and denials per reader (pruned as the engine goes).
CREATE TABLE alarm_reader_activity (
	reader_id INTEGER NOT NULL,
	what TEXT NOT NULL CHECK (what IN ('grant', 'deny')),
	at_ms INTEGER NOT NULL
);
CREATE INDEX alarm_reader_activity_ix ON alarm_reader_activity(reader_id, what, at_ms);
