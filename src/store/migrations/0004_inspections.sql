-- 0004 inspections: state, findings, seal checks, evidence, checklists (issue 6; ISPS B/16).

-- One inspection of a container, vehicle, vessel, person, unaccompanied baggage or stores.
CREATE TABLE inspections (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('container', 'vehicle', 'vessel', 'person', 'baggage',
	                                   'stores')),
	subject TEXT NOT NULL,                       -- container: ISO 6346, normalised
	manifest_container_id INTEGER REFERENCES manifest_containers(id), -- the line it came from
	reason TEXT NOT NULL CHECK (reason IN ('risk', 'random', 'intelligence', 'level',
	                                       'authority')),
	state TEXT NOT NULL CHECK (state IN ('selected', 'scanning', 'scanned', 'examining',
	                                     'cleared', 'held', 'seized')),
	scan_result TEXT CHECK (scan_result IN ('clear', 'anomaly', 'inconclusive')),
	verdict TEXT,                                -- the operator's verdict, in words
	notes TEXT,
	level INTEGER NOT NULL CHECK (level IN (1, 2, 3)), -- the security level at creation
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX inspections_state ON inspections(state, id);
CREATE INDEX inspections_kind ON inspections(kind, id);
CREATE INDEX inspections_line ON inspections(manifest_container_id)
	WHERE manifest_container_id IS NOT NULL;

CREATE TABLE inspection_findings (
	id INTEGER PRIMARY KEY,
	inspection_id INTEGER NOT NULL REFERENCES inspections(id),
	category TEXT NOT NULL CHECK (category IN ('narcotics', 'weapons', 'explosives', 'currency',
	                                           'stowaway', 'undeclared_dg', 'other')),
	description TEXT NOT NULL,
	quantity TEXT,                               -- as found: "12 kg", "3 packages"
	recorded_by TEXT NOT NULL,
	recorded_at TEXT NOT NULL
);
CREATE INDEX inspection_findings_inspection ON inspection_findings(inspection_id, id);

CREATE TABLE inspection_seals (
	id INTEGER PRIMARY KEY,
	inspection_id INTEGER NOT NULL REFERENCES inspections(id),
	seal_number TEXT NOT NULL,
	result TEXT NOT NULL CHECK (result IN ('intact', 'broken', 'replaced')),
	new_number TEXT,                             -- set exactly when replaced
	checked_by TEXT NOT NULL,
	checked_at TEXT NOT NULL,
	CHECK ((result = 'replaced') = (new_number IS NOT NULL))
);
CREATE INDEX inspection_seals_inspection ON inspection_seals(inspection_id, id);

-- Evidence files. The store binds no blobs, so the bytes are kept as base64 text.
CREATE TABLE inspection_evidence (
	id INTEGER PRIMARY KEY,
	inspection_id INTEGER NOT NULL REFERENCES inspections(id),
	filename TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size INTEGER NOT NULL CHECK (size > 0),
	sha256 TEXT NOT NULL,                        -- hex, of the bytes
	data TEXT NOT NULL,                          -- base64 (RFC 4648, padded)
	uploaded_by TEXT NOT NULL,
	uploaded_at TEXT NOT NULL
);
CREATE INDEX inspection_evidence_inspection ON inspection_evidence(inspection_id, id);

-- The checklist an inspection got at creation (its kind and the level then), numbered from 1.
CREATE TABLE inspection_checklist (
	inspection_id INTEGER NOT NULL REFERENCES inspections(id),
	n INTEGER NOT NULL,
	code TEXT NOT NULL,
	text TEXT NOT NULL,
	required INTEGER NOT NULL,
	done INTEGER NOT NULL DEFAULT 0,
	done_by TEXT,
	done_at TEXT,
	note TEXT,
	PRIMARY KEY (inspection_id, n)
) WITHOUT ROWID;
