-- 0007 drills and exercises (issue 7; ISPS A/18, B/18.5-18.6).
--
-- A drill tests one element of the security plan, at least every 3 months; an exercise
-- (live, tabletop or combined) at least once each calendar year with no more than 18 months
-- between. Planned rows are the calendar; conducted rows are the record inspectors ask for.

CREATE TABLE drills (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('drill', 'exercise')),
	type TEXT NOT NULL CHECK (type IN ('evacuation', 'intrusion', 'bomb_threat', 'fire', 'spill',
	                                   'cyber', 'access_control', 'cargo', 'waterside',
	                                   'level_change', 'communications', 'other')),
	format TEXT CHECK (format IN ('live', 'tabletop', 'combined')), -- exercises only
	status TEXT NOT NULL CHECK (status IN ('planned', 'conducted', 'cancelled')),
	title TEXT NOT NULL,
	scenario TEXT,
	planned_at TEXT,                             -- RFC 3339 UTC: the planned start
	conducted_at TEXT,                           -- RFC 3339 UTC: when it took place
	ended_at TEXT,
	place TEXT,
	zone_id INTEGER REFERENCES zones(id),        -- evacuation: the zone mustered
	observers TEXT NOT NULL DEFAULT '[]',        -- JSON array of names or usernames
	results TEXT,
	lessons TEXT,
	muster_id INTEGER REFERENCES musters(id),
	muster_timing TEXT,                          -- JSON, kept once the muster closed
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	CHECK (status <> 'conducted' OR conducted_at IS NOT NULL),
	CHECK (kind = 'exercise' OR format IS NULL)
);
CREATE INDEX drills_when ON drills(coalesce(conducted_at, planned_at));
CREATE INDEX drills_done ON drills(kind, status, conducted_at);
CREATE UNIQUE INDEX drills_muster ON drills(muster_id) WHERE muster_id IS NOT NULL;

CREATE TABLE drill_participants (
	drill_id INTEGER NOT NULL REFERENCES drills(id),
	person_id INTEGER NOT NULL REFERENCES people(id),
	PRIMARY KEY (drill_id, person_id)
);
CREATE INDEX drill_participants_person ON drill_participants(person_id);

-- Corrective actions: what a drill showed must change, who owns it, by when, closed by whom.
CREATE TABLE drill_actions (
	id INTEGER PRIMARY KEY,
	drill_id INTEGER NOT NULL REFERENCES drills(id),
	text TEXT NOT NULL,
	owner_person_id INTEGER REFERENCES people(id),
	owner_user TEXT,                             -- a username
	due_date TEXT NOT NULL,                      -- YYYY-MM-DD
	status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
	closed_by TEXT,
	closed_at TEXT,
	closure TEXT,                                -- what was done
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	CHECK ((owner_person_id IS NULL) <> (owner_user IS NULL)),
	CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX drill_actions_drill ON drill_actions(drill_id, id);
CREATE INDEX drill_actions_open ON drill_actions(status, due_date);

-- A change of more than 25% of the personnel with security duties (B/18.5): a drill is
-- due within a week unless one was conducted since.
CREATE TABLE drill_personnel_changes (
	id INTEGER PRIMARY KEY,
	date TEXT NOT NULL,                          -- YYYY-MM-DD
	percent INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
	note TEXT,
	recorded_by TEXT NOT NULL,
	recorded_at TEXT NOT NULL
);

-- Overdue notices already published: one event per kind and due date.
CREATE TABLE drill_notices (
	kind TEXT NOT NULL CHECK (kind IN ('drill', 'exercise')),
	due TEXT NOT NULL,                           -- YYYY-MM-DD
	event_id INTEGER NOT NULL,
	emitted_at TEXT NOT NULL,
	PRIMARY KEY (kind, due)
);

-- When the schedule began: with no record yet, each kind is overdue since then.
CREATE TABLE drill_meta (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
INSERT INTO drill_meta(key, value) VALUES ('schedule_since', strftime('%Y-%m-%d', 'now'));
