-- A record's Art. 36 serious-list statement and its Art. 44 change history
-- with reason codes, as the platform sends them: one JSON object
-- {"serious_list": {...}, "history": [...]} (store/record_detail.go), or
-- '' when the record has neither. It lives in the record's row, so every
-- deletion of the record erases it with the rest.
ALTER TABLE records ADD COLUMN detail TEXT NOT NULL DEFAULT '';
