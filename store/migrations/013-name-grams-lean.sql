-- A leaner name index (store/grams.go nameGrams): one row per character of
-- the normalised name — the character and the next one, the last character
-- alone — instead of every unigram and bigram, and no index by subject_id
-- (a subject's rows are deleted by the grams of its stored search_name,
-- primary-key look-ups). A 1-character search scans the grams that start
-- with the character. Existing caches are converted here: the old rows go
-- (secure_delete zeroes them) and the index is rebuilt from search_name.

DROP INDEX IF EXISTS name_grams_subject;

-- SQLite's length and substr stop at a NUL; normName now drops it. Strip
-- it byte-wise here (replace and substr on text stop at a NUL too).
WITH RECURSIVE strip(id, b) AS (
	SELECT id, CAST(search_name AS BLOB) FROM subjects WHERE instr(search_name, char(0)) > 0
	UNION ALL
	SELECT id, CAST(substr(b, 1, instr(b, x'00') - 1) || substr(b, instr(b, x'00') + 1) AS BLOB)
	FROM strip WHERE instr(b, x'00') > 0)
UPDATE subjects SET search_name = (SELECT CAST(b AS TEXT) FROM strip WHERE strip.id = subjects.id AND instr(b, x'00') = 0)
WHERE instr(search_name, char(0)) > 0;

DELETE FROM name_grams;

WITH RECURSIVE pos(i) AS (
	SELECT 1 UNION ALL SELECT i + 1 FROM pos
	WHERE i < (SELECT coalesce(max(length(search_name)), 0) FROM subjects WHERE kind = 'legal_person'))
INSERT OR IGNORE INTO name_grams (gram, subject_id)
SELECT substr(s.search_name, pos.i, 2), s.id
FROM subjects s CROSS JOIN pos
WHERE s.kind = 'legal_person' AND pos.i <= length(s.search_name)
ORDER BY s.id;
