-- Random draws are kept as their value alone: the bound (1,000,000) is fixed and the rate is
-- the manifest's (one per import, from its security level). The API renders the same
-- {"value","bound","rate_ppm","rate_percent","selected"} object from them; a million-line
-- manifest stores 80 MB less.
ALTER TABLE manifests ADD COLUMN random_ppm INTEGER NOT NULL DEFAULT 0;
ALTER TABLE manifest_containers ADD COLUMN random_value INTEGER NOT NULL DEFAULT 0;
UPDATE manifests SET random_ppm = coalesce((SELECT json_extract(c.random_draw, '$.rate_ppm')
	FROM manifest_containers c WHERE c.manifest_id = manifests.id LIMIT 1), 0);
UPDATE manifest_containers SET random_value = json_extract(random_draw, '$.value');
ALTER TABLE manifest_containers DROP COLUMN random_draw;
