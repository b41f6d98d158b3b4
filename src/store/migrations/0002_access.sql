-- 0002 access control and the security level.

-- The facility's security level (ISPS A/2.1, A/14): the current level is the newest row.
CREATE TABLE security_levels (
	id INTEGER PRIMARY KEY,
	level INTEGER NOT NULL CHECK (level IN (1, 2, 3)),
	reason TEXT NOT NULL,
	instructed_by TEXT,            -- the authority on whose instruction
	set_by TEXT NOT NULL,          -- who recorded it
	set_at TEXT NOT NULL
);
INSERT INTO security_levels(level, reason, set_by, set_at)
VALUES (1, 'initial level', 'system', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

-- Zones form a tree: port facility > terminal > restricted area > high-security area.
CREATE TABLE zones (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL CHECK (kind IN ('public', 'controlled', 'restricted', 'high_security')),
	parent_id INTEGER REFERENCES zones(id),
	capacity INTEGER CHECK (capacity IS NULL OR capacity > 0),
	anti_passback TEXT NOT NULL DEFAULT 'none' CHECK (anti_passback IN ('none', 'soft', 'hard')),
	required_quals TEXT NOT NULL DEFAULT '[]',   -- JSON array of qualification names
	geometry TEXT,                               -- GeoJSON Polygon, or NULL
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- A reader sits on a boundary: entering to_zone from from_zone (direction "in").
CREATE TABLE readers (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL CHECK (kind IN ('door', 'turnstile', 'pedestrian_gate', 'vehicle_gate', 'muster')),
	from_zone_id INTEGER NOT NULL REFERENCES zones(id),
	to_zone_id INTEGER NOT NULL REFERENCES zones(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE people (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('employee', 'contractor', 'visitor', 'crew', 'driver', 'authority')),
	first_name TEXT NOT NULL,
	last_name TEXT NOT NULL,
	employer TEXT,
	photo_ref TEXT,
	id_doc_type TEXT,
	id_doc_number TEXT,
	host_id INTEGER REFERENCES people(id),       -- visitors: who they visit
	visitor_expires_ms INTEGER,                  -- visitors: end of the visit
	watchlisted INTEGER NOT NULL DEFAULT 0,
	watchlist_reason TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX people_name ON people(last_name, first_name);

-- Responders admitted at level 3, per zone (and the zones below it).
CREATE TABLE person_essential (
	person_id INTEGER NOT NULL REFERENCES people(id),
	zone_id INTEGER NOT NULL REFERENCES zones(id),
	PRIMARY KEY (person_id, zone_id)
);

CREATE TABLE credentials (
	id INTEGER PRIMARY KEY,
	uid TEXT NOT NULL UNIQUE,                    -- card UID as read, upper-case hex
	person_id INTEGER NOT NULL REFERENCES people(id),
	pin_hash TEXT,                               -- salted BLAKE2b of the PIN, or NULL
	status TEXT NOT NULL DEFAULT 'active'
		CHECK (status IN ('active', 'suspended', 'lost', 'stolen', 'revoked')),
	valid_from_ms INTEGER,
	valid_until_ms INTEGER,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX credentials_person ON credentials(person_id);

-- A set of zones, a weekly schedule with holidays, and the levels it is valid at.
CREATE TABLE access_groups (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	schedule TEXT NOT NULL DEFAULT '"always"',   -- JSON: "always" or {"mon": [["06:00","18:00"]], ...}
	holidays TEXT NOT NULL DEFAULT '[]',         -- JSON: ["2026-12-25", ...] (no access those days)
	levels INTEGER NOT NULL DEFAULT 7 CHECK (levels BETWEEN 1 AND 7), -- bit 0 = level 1 ...
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE group_zones (
	group_id INTEGER NOT NULL REFERENCES access_groups(id),
	zone_id INTEGER NOT NULL REFERENCES zones(id),
	PRIMARY KEY (group_id, zone_id)
);

CREATE TABLE person_groups (
	person_id INTEGER NOT NULL REFERENCES people(id),
	group_id INTEGER NOT NULL REFERENCES access_groups(id),
	until_ms INTEGER,                            -- the person's own end date, or NULL
	PRIMARY KEY (person_id, group_id)
);

CREATE TABLE qualifications (
	person_id INTEGER NOT NULL REFERENCES people(id),
	name TEXT NOT NULL,                          -- e.g. security_awareness
	expires_ms INTEGER,                          -- NULL: does not expire
	issued_by TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (person_id, name)
);

-- Every decision, persisted before the reply.
CREATE TABLE decisions (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	at_ms INTEGER NOT NULL,
	reader_id INTEGER,
	credential TEXT NOT NULL,
	person_id INTEGER,
	zone_id INTEGER,
	direction TEXT NOT NULL,
	decision TEXT NOT NULL CHECK (decision IN ('grant', 'deny')),
	reason TEXT NOT NULL,
	level INTEGER NOT NULL,
	detail TEXT                                  -- JSON: held, soft anti-passback, escort ...
);
CREATE INDEX decisions_person ON decisions(person_id, id);
CREATE INDEX decisions_reader ON decisions(reader_id, id);

-- Where each person is now (follows granted passages).
CREATE TABLE occupancy (
	person_id INTEGER PRIMARY KEY REFERENCES people(id),
	zone_id INTEGER NOT NULL REFERENCES zones(id),
	reader_id INTEGER REFERENCES readers(id),
	since_ms INTEGER NOT NULL
);
CREATE INDEX occupancy_zone ON occupancy(zone_id);

CREATE TABLE musters (
	id INTEGER PRIMARY KEY,
	zone_id INTEGER NOT NULL REFERENCES zones(id),
	drill INTEGER NOT NULL DEFAULT 0,
	started_at_ms INTEGER NOT NULL,
	started_by TEXT NOT NULL,
	closed_at_ms INTEGER,
	closed_by TEXT
);

CREATE TABLE muster_people (
	muster_id INTEGER NOT NULL REFERENCES musters(id),
	person_id INTEGER NOT NULL REFERENCES people(id),
	zone_id INTEGER NOT NULL,                    -- where they were at the start
	last_reader_id INTEGER,
	last_seen_ms INTEGER,
	safe_at_ms INTEGER,
	safe_by TEXT,                                -- a user, or "reader:<id>"
	PRIMARY KEY (muster_id, person_id)
);
