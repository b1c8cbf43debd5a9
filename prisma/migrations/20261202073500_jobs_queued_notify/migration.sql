-- Wake workers when there is work: every row that becomes QUEUED (a new job, a retry, a job
-- released at shutdown) notifies channel `alma_jobs_queued` when its transaction commits
-- (PostgreSQL folds identical notifications of one transaction into one). Workers LISTEN on it and
-- poll only as a fallback (retries whose time comes later, a lost listening connection).
CREATE FUNCTION "alma_notify_jobs_queued"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('alma_jobs_queued', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER "jobs_queued_notify"
AFTER INSERT OR UPDATE OF "status" ON "jobs"
FOR EACH ROW WHEN (NEW."status" = 'QUEUED')
EXECUTE FUNCTION "alma_notify_jobs_queued"();
