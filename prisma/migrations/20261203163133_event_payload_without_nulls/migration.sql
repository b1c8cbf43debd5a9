-- A key that was not detected is absent from an event's payload, never null (issue 11 item 6):
-- drop the null keys stored before the writers stripped them.
UPDATE "events" SET "json" = jsonb_strip_nulls("json")
WHERE "json" IS NOT NULL AND jsonb_typeof("json") = 'object' AND "json" <> jsonb_strip_nulls("json");
