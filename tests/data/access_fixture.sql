-- The port the access decision cases run against. Times in ms are relative to the base
-- instant T (2026-11-30 Monday 00:00 UTC = 1796083200000): the test adds T to every
-- value written as T+n or T-n by replacing the token.
INSERT INTO zones(id, name, kind, parent_id, capacity, anti_passback, required_quals, created_at, updated_at) VALUES
 (1, 'Port', 'public', NULL, NULL, 'none', '[]', 'x', 'x'),
 (2, 'Terminal', 'controlled', 1, NULL, 'soft', '[]', 'x', 'x'),
 (3, 'Quay', 'restricted', 2, NULL, 'hard', '["security_awareness"]', 'x', 'x'),
 (4, 'Vault', 'high_security', 3, NULL, 'none', '[]', 'x', 'x'),
 (5, 'Office', 'controlled', 1, 2, 'none', '[]', 'x', 'x');
INSERT INTO readers(id, name, kind, from_zone_id, to_zone_id, created_at, updated_at) VALUES
 (1, 'Main gate', 'turnstile', 1, 2, 'x', 'x'),
 (2, 'Quay door', 'door', 2, 3, 'x', 'x'),
 (3, 'Vault door', 'door', 3, 4, 'x', 'x'),
 (4, 'Office door', 'door', 1, 5, 'x', 'x');
INSERT INTO access_groups(id, name, schedule, holidays, levels, created_at, updated_at) VALUES
 (1, 'staff', '{"mon":[["06:00","18:00"]],"tue":[["06:00","18:00"]],"wed":[["06:00","18:00"]],"thu":[["06:00","18:00"]],"fri":[["06:00","18:00"]]}', '["2026-12-25"]', 3, 'x', 'x'),
 (2, 'vault', '"always"', '[]', 7, 'x', 'x'),
 (3, 'terminal-all', '"always"', '[]', 7, 'x', 'x'),
 (4, 'office', '"always"', '[]', 7, 'x', 'x');
INSERT INTO group_zones(group_id, zone_id) VALUES (1, 2), (1, 3), (2, 4), (3, 2), (4, 5);
INSERT INTO people(id, kind, first_name, last_name, host_id, visitor_expires_ms, watchlisted, created_at, updated_at) VALUES
 (1, 'employee', 'Alice', 'Able', NULL, NULL, 0, 'x', 'x'),
 (2, 'employee', 'Bob', 'Baker', NULL, NULL, 0, 'x', 'x'),
 (3, 'employee', 'Carol', 'Cook', NULL, NULL, 0, 'x', 'x'),
 (4, 'visitor', 'Vic', 'Visitor', 1, T+864000000, 0, 'x', 'x'),
 (5, 'employee', 'Wally', 'Watch', NULL, NULL, 1, 'x', 'x'),
 (6, 'visitor', 'Eve', 'Expired', 1, T-1000, 0, 'x', 'x'),
 (7, 'employee', 'Dan', 'Nogroup', NULL, NULL, 0, 'x', 'x'),
 (8, 'contractor', 'Kim', 'One', NULL, NULL, 0, 'x', 'x'),
 (9, 'contractor', 'Kai', 'Two', NULL, NULL, 0, 'x', 'x'),
 (10, 'contractor', 'Kit', 'Three', NULL, NULL, 0, 'x', 'x'),
 (11, 'employee', 'Quinn', 'Noqual', NULL, NULL, 0, 'x', 'x');
INSERT INTO person_groups(person_id, group_id, until_ms) VALUES
 (1, 1, NULL), (1, 2, NULL), (1, 3, NULL),
 (2, 1, NULL), (3, 1, NULL), (3, 2, NULL), (4, 1, NULL), (5, 1, NULL), (6, 1, NULL),
 (8, 3, NULL), (8, 4, NULL), (9, 4, NULL), (10, 4, NULL), (11, 1, NULL),
 (7, 3, T-1000); -- Dan's only group ended yesterday
INSERT INTO qualifications(person_id, name, expires_ms, issued_by, updated_at) VALUES
 (1, 'security_awareness', T+86400000, 't', 'x'),
 (2, 'security_awareness', T-86400000, 't', 'x'),
 (3, 'security_awareness', NULL, 't', 'x'),
 (4, 'security_awareness', T+86400000, 't', 'x');
INSERT INTO person_essential(person_id, zone_id) VALUES (1, 1);
INSERT INTO credentials(uid, person_id, pin_hash, status, valid_from_ms, valid_until_ms, created_at, updated_at) VALUES
 ('A1', 1, 'PIN:1234', 'active', NULL, NULL, 'x', 'x'),
 ('B1', 2, NULL, 'active', NULL, NULL, 'x', 'x'),
 ('C1', 3, NULL, 'active', NULL, NULL, 'x', 'x'),
 ('V1', 4, NULL, 'active', NULL, NULL, 'x', 'x'),
 ('W1', 5, NULL, 'active', NULL, NULL, 'x', 'x'),
 ('E1', 6, NULL, 'active', NULL, NULL, 'x', 'x'),
 ('D1', 7, NULL, 'active', NULL, NULL, 'x', 'x'),
 ('K1', 8, NULL, 'active', NULL, NULL, 'x', 'x'),
 ('K2', 9, NULL, 'active', NULL, NULL, 'x', 'x'),
 ('K3', 10, NULL, 'active', NULL, NULL, 'x', 'x'),
 ('Q1', 11, NULL, 'active', NULL, NULL, 'x', 'x'),
 ('S1', 1, NULL, 'suspended', NULL, NULL, 'x', 'x'),
 ('L1', 1, NULL, 'lost', NULL, NULL, 'x', 'x'),
 ('L2', 1, NULL, 'stolen', NULL, NULL, 'x', 'x'),
 ('R1', 1, NULL, 'revoked', NULL, NULL, 'x', 'x'),
 ('F1', 1, NULL, 'active', T+864000000, NULL, 'x', 'x'),
 ('X1', 1, NULL, 'active', NULL, T-1000, 'x', 'x');
