-- 0006 training: courses, question banks, the requirements matrix, enrolments, quiz
-- attempts, completions with certificates, classroom sessions and reminders (ISPS A/18,
-- B/18). Completing a course upserts the row of `qualifications` (0002) that zones
-- require. The default courses, matrix and question banks are loaded from the files
-- under etc/training/ (compiled in) when the daemon first opens the store.

CREATE TABLE training_courses (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,                   -- PG-325
	title TEXT NOT NULL,
	topic TEXT NOT NULL CHECK (topic IN ('security_awareness', 'security_emergency_procedures',
		'cargo_inspection', 'maritime_safety', 'crisis_incident_management', 'cyber_security',
		'legislation_regulation', 'collaboration_coordination')),
	content TEXT NOT NULL DEFAULT '',            -- Markdown
	duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
	validity_months INTEGER NOT NULL CHECK (validity_months >= 0), -- 0: does not expire
	qualification TEXT NOT NULL,                 -- granted on completion (qualifications.name)
	quiz_questions INTEGER NOT NULL CHECK (quiz_questions >= 0),   -- 0: no quiz (sessions only)
	pass_mark INTEGER NOT NULL CHECK (pass_mark BETWEEN 1 AND 100), -- percent
	max_attempts INTEGER NOT NULL CHECK (max_attempts >= 0),       -- per enrolment; 0: no limit
	time_limit_s INTEGER NOT NULL CHECK (time_limit_s > 0),
	active INTEGER NOT NULL DEFAULT 1,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- Question banks, per topic. options and correct are JSON arrays (option texts; indexes).
CREATE TABLE training_questions (
	id INTEGER PRIMARY KEY,
	ref TEXT NOT NULL UNIQUE,                    -- stable name from the bank file: sa-01
	topic TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'true_false')),
	text TEXT NOT NULL,
	options TEXT NOT NULL,
	correct TEXT NOT NULL,
	explanation TEXT NOT NULL,
	active INTEGER NOT NULL DEFAULT 1,
	created_at TEXT NOT NULL
);
CREATE INDEX training_questions_topic ON training_questions(topic, active);

-- The requirements matrix: who needs which course. applies_to all_staff (employees and
-- contractors), role (a person's job role, below) or kind (a person kind of 0002).
CREATE TABLE training_requirements (
	id INTEGER PRIMARY KEY,
	course_id INTEGER NOT NULL REFERENCES training_courses(id),
	applies_to TEXT NOT NULL CHECK (applies_to IN ('all_staff', 'role', 'kind')),
	value TEXT NOT NULL DEFAULT '',
	UNIQUE (course_id, applies_to, value)
);

-- Job roles of people (gate_officer, inspection_officer, pfso, ...), for the matrix.
CREATE TABLE training_person_roles (
	person_id INTEGER NOT NULL REFERENCES people(id),
	role TEXT NOT NULL,
	PRIMARY KEY (person_id, role)
);
CREATE INDEX training_person_roles_role ON training_person_roles(role, person_id);

-- A console user who is also a person (takes quizzes as that person).
CREATE TABLE training_user_people (
	user_id INTEGER PRIMARY KEY REFERENCES users(id),
	person_id INTEGER NOT NULL UNIQUE REFERENCES people(id),
	linked_by TEXT NOT NULL,
	linked_at TEXT NOT NULL
);

-- One row per person, course and cycle; attempts count against the newest.
CREATE TABLE training_enrolments (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES people(id),
	course_id INTEGER NOT NULL REFERENCES training_courses(id),
	status TEXT NOT NULL CHECK (status IN ('enrolled', 'completed', 'failed')),
	enrolled_by TEXT NOT NULL,
	enrolled_at_ms INTEGER NOT NULL,
	closed_at_ms INTEGER
);
CREATE INDEX training_enrolments_person ON training_enrolments(person_id, course_id, id);

CREATE TABLE training_attempts (
	id INTEGER PRIMARY KEY,
	enrolment_id INTEGER NOT NULL REFERENCES training_enrolments(id),
	person_id INTEGER NOT NULL REFERENCES people(id),
	course_id INTEGER NOT NULL REFERENCES training_courses(id),
	status TEXT NOT NULL CHECK (status IN ('open', 'submitted', 'expired')),
	questions TEXT NOT NULL,                     -- JSON [{"q": id, "perm": [original index per shown option]}]
	answers TEXT,                                -- JSON as submitted (shown indexes)
	correct INTEGER,
	total INTEGER NOT NULL,
	score INTEGER,                               -- percent
	pass_mark INTEGER NOT NULL,
	passed INTEGER,
	started_at_ms INTEGER NOT NULL,
	deadline_ms INTEGER NOT NULL,
	submitted_at_ms INTEGER,
	taken_by TEXT NOT NULL                       -- the console user or token
);
CREATE INDEX training_attempts_enrolment ON training_attempts(enrolment_id);
CREATE INDEX training_attempts_person ON training_attempts(person_id, id);
CREATE INDEX training_attempts_course ON training_attempts(course_id, id);

-- Classroom sessions: the record regulators ask for (date, duration, description, attendees).
CREATE TABLE training_sessions (
	id INTEGER PRIMARY KEY,
	course_id INTEGER REFERENCES training_courses(id),
	held_at_ms INTEGER NOT NULL,
	duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
	description TEXT NOT NULL,
	trainer TEXT NOT NULL,
	location TEXT,
	recorded_by TEXT NOT NULL,
	recorded_at TEXT NOT NULL
);

CREATE TABLE training_session_attendees (
	session_id INTEGER NOT NULL REFERENCES training_sessions(id),
	person_id INTEGER NOT NULL REFERENCES people(id),
	completed INTEGER NOT NULL DEFAULT 0,        -- 1: the session completed the course
	PRIMARY KEY (session_id, person_id)
);
CREATE INDEX training_session_attendees_person ON training_session_attendees(person_id);

-- A passed attempt or a completing session; the certificate is this row.
CREATE TABLE training_completions (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES people(id),
	course_id INTEGER NOT NULL REFERENCES training_courses(id),
	attempt_id INTEGER REFERENCES training_attempts(id),
	session_id INTEGER REFERENCES training_sessions(id),
	completed_at_ms INTEGER NOT NULL,
	expires_ms INTEGER,                          -- NULL: does not expire
	code TEXT NOT NULL UNIQUE,                   -- verification code, XXXX-XXXX-XXXX-XXXX
	issued_by TEXT NOT NULL
);
CREATE INDEX training_completions_person ON training_completions(person_id, course_id);

-- Reminders sent: once per person, course, threshold and expiry date.
CREATE TABLE training_reminders (
	person_id INTEGER NOT NULL,
	course_id INTEGER NOT NULL,
	threshold TEXT NOT NULL CHECK (threshold IN ('expiring', 'expired')),
	expires_ms INTEGER NOT NULL,
	sent_at_ms INTEGER NOT NULL,
	PRIMARY KEY (person_id, course_id, threshold, expires_ms)
);

CREATE TABLE training_meta (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
