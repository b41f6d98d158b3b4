-- 0003 cargo manifests and risk targeting (issue 6; ISPS B/16.30-16.37).

-- One imported manifest: a vessel's voyage.
CREATE TABLE manifests (
	id INTEGER PRIMARY KEY,
	vessel_imo TEXT NOT NULL,                    -- 7 digits
	vessel_name TEXT NOT NULL,
	voyage TEXT NOT NULL,
	format TEXT NOT NULL CHECK (format IN ('csv', 'json')),
	containers INTEGER NOT NULL,
	level INTEGER NOT NULL CHECK (level IN (1, 2, 3)), -- the security level it was scored at
	summary TEXT NOT NULL,                       -- JSON: containers per decision, random selections
	imported_by TEXT NOT NULL,
	imported_at TEXT NOT NULL
);

-- One container line of a manifest with its risk assessment.
CREATE TABLE manifest_containers (
	id INTEGER PRIMARY KEY,
	manifest_id INTEGER NOT NULL REFERENCES manifests(id),
	line INTEGER NOT NULL,                       -- CSV line, or index in the JSON containers array
	number TEXT NOT NULL,                        -- ISO 6346, normalised (upper case, 11 characters)
	size_type TEXT NOT NULL,                     -- ISO 6346 size-type code, e.g. 22G1
	shipper TEXT NOT NULL,
	consignee TEXT NOT NULL,
	notify_party TEXT,
	goods TEXT NOT NULL,
	hs_code TEXT NOT NULL,                       -- digits only
	declared_kg INTEGER NOT NULL,
	vgm_kg INTEGER,
	port_of_loading TEXT NOT NULL,               -- UN/LOCODE
	transshipment TEXT NOT NULL DEFAULT '[]',    -- JSON array of UN/LOCODEs, in route order
	port_of_discharge TEXT NOT NULL,
	seals TEXT NOT NULL DEFAULT '[]',            -- JSON [{"number", "class": "I"|"S"|"H"}]
	dangerous_goods TEXT NOT NULL DEFAULT '[]',  -- JSON [{"un_number" (or null), "imdg_class"}]
	score INTEGER NOT NULL,                      -- sum of the weights of the hits
	hits TEXT NOT NULL,                          -- JSON array, each hit either {"rule", "indicator", "weight",
	                                             -- "explanation", "values"} or the id of that object
	                                             -- in inspect_hit_texts (hits that recur across lines)
	decision TEXT NOT NULL CHECK (decision IN ('release', 'document_check', 'scan', 'physical')),
	random_draw TEXT NOT NULL,                   -- JSON {"value", "bound", "rate_percent", "selected"}
	selected_by TEXT CHECK (selected_by IN ('risk', 'random')), -- NULL: not selected for inspection
	queued INTEGER NOT NULL DEFAULT 0,           -- 1: selected and not yet taken up by an inspection
	level INTEGER NOT NULL CHECK (level IN (1, 2, 3)),
	scored_at TEXT NOT NULL
);
CREATE INDEX manifest_containers_manifest ON manifest_containers(manifest_id, score DESC, id);
CREATE INDEX manifest_containers_number ON manifest_containers(number, id);
CREATE INDEX manifest_containers_queue ON manifest_containers(score DESC, id) WHERE queued = 1;

-- Hits that recur across lines (a vague description, a first shipment, a route, a missing
-- seal), stored once and named by id in manifest_containers.hits: the JSON object text.
CREATE TABLE inspect_hit_texts (
	id INTEGER PRIMARY KEY,
	hit TEXT NOT NULL UNIQUE
);

-- Who has shipped before: the first-shipment indicator asks whether a shipper or consignee
-- appears here. name_key is the name upper-cased with runs of blanks made one space.
CREATE TABLE inspect_parties (
	role TEXT NOT NULL CHECK (role IN ('shipper', 'consignee')),
	name_key TEXT NOT NULL,
	name TEXT NOT NULL,                          -- as first seen
	first_manifest_id INTEGER NOT NULL REFERENCES manifests(id),
	shipments INTEGER NOT NULL,                  -- container lines, all manifests
	first_seen TEXT NOT NULL,
	last_seen TEXT NOT NULL,
	PRIMARY KEY (role, name_key)
) WITHOUT ROWID;

-- Parties, vessels and containers of interest (intelligence, earlier seizures).
CREATE TABLE inspect_watchlist (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('party', 'vessel', 'container')),
	value TEXT NOT NULL,                         -- party: name_key; vessel: IMO number; container: number
	reason TEXT NOT NULL,
	added_by TEXT NOT NULL,
	added_at TEXT NOT NULL,
	UNIQUE (kind, value)
);

-- Weighbridge readings of containers (gate or quay scales).
CREATE TABLE inspect_weighings (
	id INTEGER PRIMARY KEY,
	container TEXT NOT NULL,                     -- ISO 6346, normalised
	kg INTEGER NOT NULL CHECK (kg > 0),
	at_ms INTEGER NOT NULL,
	recorded_by TEXT NOT NULL
);
CREATE INDEX inspect_weighings_container ON inspect_weighings(container, at_ms);
CREATE INDEX inspect_weighings_at ON inspect_weighings(at_ms);
