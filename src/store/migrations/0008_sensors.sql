-- 0008 sensors and cameras (issue 5): the registry, each sensor's live state, and the
-- cameras an alarm calls up. Sensor messages themselves are events (topic "sensors").

-- A sensor: kind is one of the kinds in src/sensors/sensors_message.c (checked there, so
-- that a new kind needs no migration). Measured kinds (water level, wind speed, gas,
-- radiation) carry thresholds; a value outside them is an alarm.
CREATE TABLE sensors (
	id INTEGER PRIMARY KEY,
	name TEXT UNIQUE NOT NULL,                   -- also the MQTT topic level: portguard/sensors/NAME/event
	kind TEXT NOT NULL,
	zone_id INTEGER REFERENCES zones(id),
	lat REAL,
	lon REAL,
	location TEXT,                               -- in words: "north fence, post 14"
	heartbeat_s INTEGER CHECK (heartbeat_s IS NULL OR heartbeat_s > 0), -- NULL: not supervised
	unit TEXT,
	threshold_high REAL,
	threshold_low REAL,
	reader_id INTEGER REFERENCES readers(id),    -- door contacts: the door's reader
	token_id INTEGER REFERENCES tokens(id),      -- NULL: any device token may post for it
	state TEXT CHECK (state IS NULL OR state IN ('alarm', 'normal', 'tamper', 'fault')),
	value REAL,                                  -- the last measured value
	last_event_ms INTEGER,
	last_seen_ms INTEGER,                        -- the last message of any kind (heartbeat or event)
	offline INTEGER NOT NULL DEFAULT 0,          -- 1 from an offline event to the next message
	offline_since_ms INTEGER,
	created_ms INTEGER NOT NULL,                 -- supervision counts from here until a first message
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX sensors_zone ON sensors(zone_id);
CREATE INDEX sensors_reader ON sensors(reader_id);

-- A camera and the zones it covers (camera call-up: GET /api/v1/cameras?zone=N).
CREATE TABLE cameras (
	id INTEGER PRIMARY KEY,
	name TEXT UNIQUE NOT NULL,
	lat REAL,
	lon REAL,
	location TEXT,
	zones TEXT NOT NULL DEFAULT '[]',            -- JSON array of zone ids
	stream_url TEXT NOT NULL,
	snapshot_url TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- A sensor's history (GET /api/v1/sensors/{id}/events) without scanning every event.
CREATE INDEX events_sensor ON events(json_extract(data, '$.sensor_id'), id) WHERE topic = 'sensors';
