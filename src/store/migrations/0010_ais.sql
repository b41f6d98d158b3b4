-- 0010 the live AIS picture (issue 4): vessels, downsampled tracks, expected arrivals.
-- Raw messages are not stored; anomalies are events on topic "ais".

-- The latest state of each vessel seen (one row per MMSI, upserted in batches).
CREATE TABLE ais_vessels (
	mmsi INTEGER PRIMARY KEY,
	name TEXT,
	callsign TEXT,
	imo INTEGER,
	shiptype INTEGER,
	to_bow INTEGER, to_stern INTEGER, to_port INTEGER, to_starboard INTEGER, -- metres from the reference point
	draught REAL,                                -- metres
	destination TEXT,
	eta TEXT,                                    -- "MM-DDTHH:MM" UTC as AIS sends it (no year)
	class TEXT NOT NULL CHECK (class IN ('A', 'B')),
	lat REAL, lon REAL,                          -- degrees WGS 84
	sog REAL,                                    -- knots, NULL not available
	cog REAL,                                    -- degrees true
	heading INTEGER,                             -- degrees true
	status INTEGER,                              -- navigational status 0..15
	zones TEXT NOT NULL DEFAULT '[]',            -- JSON array of the layout zones it is in
	messages INTEGER NOT NULL,
	first_seen TEXT NOT NULL,
	position_at TEXT,
	last_seen TEXT NOT NULL
);

-- Downsampled track points (kept when >= 30 s or >= 50 m from the last, or course changed >= 10 deg).
CREATE TABLE ais_track (
	id INTEGER PRIMARY KEY,
	mmsi INTEGER NOT NULL,
	at TEXT NOT NULL,
	lat REAL NOT NULL,
	lon REAL NOT NULL,
	sog REAL,
	cog REAL,
	heading INTEGER
);
CREATE INDEX ais_track_mmsi ON ais_track(mmsi, id);

-- Expected arrivals per berth: a vessel matching one (MMSI, IMO or name) inside the window
-- may enter the berth's security zone without a zone_entry anomaly.
CREATE TABLE ais_arrivals (
	id INTEGER PRIMARY KEY,
	berth TEXT NOT NULL,                         -- a layout zone's berth or name
	mmsi INTEGER,
	imo INTEGER,
	name TEXT,
	window_from TEXT,                            -- RFC 3339; NULL = open
	window_until TEXT,
	note TEXT,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	CHECK (mmsi IS NOT NULL OR imo IS NOT NULL OR name IS NOT NULL)
);
