-- Announce conversation changes for live subscriptions: channel `alma_conversation_changes`
-- carries {organization, conversation, kind, status, analysisStatus} by reference (never the data:
-- NOTIFY payloads are limited to 8 kB), delivered when the writing transaction commits, so an
-- announced change is always visible to whoever reads it back. kind is CONVERSATION_STARTED (a new
-- conversation), STATUS_CHANGED, ANALYSIS_STATUS_CHANGED or MESSAGES_APPENDED (one notification
-- per conversation per insert statement, however many messages it wrote).
CREATE FUNCTION "alma_notify_conversation_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  change_kind TEXT;
BEGIN
  IF TG_OP = 'INSERT' THEN
    change_kind := 'CONVERSATION_STARTED';
  ELSIF OLD."status" IS DISTINCT FROM NEW."status" THEN
    change_kind := 'STATUS_CHANGED';
  ELSE
    change_kind := 'ANALYSIS_STATUS_CHANGED';
  END IF;
  PERFORM pg_notify('alma_conversation_changes', json_build_object(
    'organization', NEW."alma_internal_organization",
    'conversation', NEW."uuid",
    'kind', change_kind,
    'status', NEW."status",
    'analysisStatus', NEW."analysis_status")::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "conversations_inserted_notify"
AFTER INSERT ON "conversations"
FOR EACH ROW EXECUTE FUNCTION "alma_notify_conversation_change"();

CREATE TRIGGER "conversations_changed_notify"
AFTER UPDATE OF "status", "analysis_status" ON "conversations"
FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."analysis_status" IS DISTINCT FROM NEW."analysis_status")
EXECUTE FUNCTION "alma_notify_conversation_change"();

CREATE FUNCTION "alma_notify_messages_appended"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('alma_conversation_changes', json_build_object(
    'organization', changed."organization",
    'conversation', changed."conversation",
    'kind', 'MESSAGES_APPENDED')::text)
  FROM (SELECT DISTINCT "alma_internal_organization" AS "organization", "conversation_uuid" AS "conversation" FROM appended) AS changed;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "messages_appended_notify"
AFTER INSERT ON "messages"
REFERENCING NEW TABLE AS appended
FOR EACH STATEMENT EXECUTE FUNCTION "alma_notify_messages_appended"();
