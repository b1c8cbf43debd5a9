-- CreateEnum
CREATE TYPE "value_precedence" AS ENUM ('REPORTED_FIRST', 'ANALYSED_FIRST');

-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "analysed_outcome" "outcome",
ADD COLUMN     "analysed_outcome_reason" TEXT,
ADD COLUMN     "analysed_sentiment_label" "sentiment_label",
ADD COLUMN     "analysed_sentiment_score" DOUBLE PRECISION,
ADD COLUMN     "analysed_summary" TEXT,
ADD COLUMN     "analysed_topics" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "reported_outcome" "outcome",
ADD COLUMN     "reported_outcome_reason" TEXT,
ADD COLUMN     "reported_sentiment_label" "sentiment_label",
ADD COLUMN     "reported_sentiment_score" DOUBLE PRECISION,
ADD COLUMN     "reported_summary" TEXT,
ADD COLUMN     "reported_topics" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "value_precedence" "value_precedence" NOT NULL DEFAULT 'REPORTED_FIRST';

-- Backfill: until now one set of columns held whatever was written last (ingest, then analysis
-- over it). Per value group (outcome with its reason, summary, sentiment score with its label,
-- topics), using the conversation's current COMPLETED analysis rows:
-- * an analysis row of that type exists: its values are the analysed ones; the current value is
--   the reported one only where it differs from the analysis's (a re-ingest after the analysis
--   wrote it back). Where it equals the analysis's, what the partner had sent was overwritten
--   and cannot be recovered: reported stays empty.
-- * no analysis row of that type, but the conversation's analysis COMPLETED and none of its rows
--   are left (we cannot tell who wrote it): the current value is kept as analysed.
-- * otherwise the current value came from ingest: it is reported.
-- The effective (top-level) columns are unchanged by this: with the default REPORTED_FIRST
-- they are exactly what the new trigger computes from the two sides.
WITH latest AS (
  SELECT DISTINCT ON (a."alma_internal_organization", a."conversation_uuid", a."analysis_type")
         a."alma_internal_organization" AS org, a."conversation_uuid" AS conv, a."analysis_type" AS kind, a."result"
  FROM "analytics" a
  WHERE a."status" = 'COMPLETED' AND a."superseded_at" IS NULL
  ORDER BY a."alma_internal_organization", a."conversation_uuid", a."analysis_type", a."created_at" DESC
),
per_conversation AS (
  SELECT org, conv,
         bool_or(kind = 'OUTCOME') AS has_outcome,
         max("result" ->> 'outcome') FILTER (WHERE kind = 'OUTCOME') AS outcome_text,
         max("result" ->> 'reason') FILTER (WHERE kind = 'OUTCOME') AS outcome_reason,
         bool_or(kind = 'SUMMARY') AS has_summary,
         max("result" ->> 'summary') FILTER (WHERE kind = 'SUMMARY') AS summary,
         bool_or(kind = 'SENTIMENT_ANALYSIS') AS has_sentiment,
         max(("result" ->> 'score')::float8) FILTER (WHERE kind = 'SENTIMENT_ANALYSIS' AND jsonb_typeof("result" -> 'score') = 'number') AS sentiment_score,
         max("result" ->> 'label') FILTER (WHERE kind = 'SENTIMENT_ANALYSIS') AS sentiment_label_text,
         bool_or(kind = 'TOPICS_DETECTED') AS has_topics,
         max(CASE WHEN jsonb_typeof("result" -> 'topics') = 'array' THEN ARRAY(SELECT jsonb_array_elements_text("result" -> 'topics')) END)
           FILTER (WHERE kind = 'TOPICS_DETECTED') AS topics
  FROM latest GROUP BY org, conv
),
typed AS (
  SELECT p.*,
         CASE WHEN p.outcome_text = ANY(enum_range(NULL::"outcome")::text[]) THEN p.outcome_text::"outcome" END AS outcome,
         CASE WHEN p.sentiment_label_text = ANY(enum_range(NULL::"sentiment_label")::text[]) THEN p.sentiment_label_text::"sentiment_label" END AS sentiment_label
  FROM per_conversation p
),
sides AS (
  SELECT c."alma_internal_organization" AS org, c."uuid" AS conv,
         -- who wrote the current value of each group: 'A'nalysis, 'R'eported (both: the analysis's values analysed, the current reported)
         CASE WHEN p.has_outcome THEN CASE WHEN (c."outcome", c."outcome_reason") IS NOT DISTINCT FROM (p.outcome, p.outcome_reason) THEN 'A' ELSE 'B' END
              WHEN p.conv IS NULL AND c."analysis_status" = 'COMPLETED' THEN 'A' ELSE 'R' END AS outcome_side,
         CASE WHEN p.has_summary THEN CASE WHEN c."summary" IS NOT DISTINCT FROM p.summary THEN 'A' ELSE 'B' END
              WHEN p.conv IS NULL AND c."analysis_status" = 'COMPLETED' THEN 'A' ELSE 'R' END AS summary_side,
         CASE WHEN p.has_sentiment THEN CASE WHEN (c."sentiment_score", c."sentiment_label") IS NOT DISTINCT FROM (p.sentiment_score, p.sentiment_label) THEN 'A' ELSE 'B' END
              WHEN p.conv IS NULL AND c."analysis_status" = 'COMPLETED' THEN 'A' ELSE 'R' END AS sentiment_side,
         CASE WHEN p.has_topics THEN CASE WHEN coalesce(c."topics", '{}') = coalesce(p.topics, '{}') THEN 'A' ELSE 'B' END
              WHEN p.conv IS NULL AND c."analysis_status" = 'COMPLETED' THEN 'A' ELSE 'R' END AS topics_side,
         p.outcome AS a_outcome, p.outcome_reason AS a_outcome_reason, p.summary AS a_summary,
         p.sentiment_score AS a_sentiment_score, p.sentiment_label AS a_sentiment_label, p.topics AS a_topics
  FROM "conversations" c
  LEFT JOIN typed p ON p.org = c."alma_internal_organization" AND p.conv = c."uuid"
  WHERE c."outcome" IS NOT NULL OR c."outcome_reason" IS NOT NULL OR c."summary" IS NOT NULL OR c."sentiment_score" IS NOT NULL
     OR c."sentiment_label" IS NOT NULL OR cardinality(coalesce(c."topics", '{}')) > 0 OR p.conv IS NOT NULL
)
UPDATE "conversations" c SET
  "reported_outcome"         = CASE WHEN s.outcome_side IN ('R', 'B') THEN c."outcome" END,
  "reported_outcome_reason"  = CASE WHEN s.outcome_side IN ('R', 'B') THEN c."outcome_reason" END,
  "analysed_outcome"         = CASE s.outcome_side WHEN 'A' THEN c."outcome" WHEN 'B' THEN s.a_outcome END,
  "analysed_outcome_reason"  = CASE s.outcome_side WHEN 'A' THEN c."outcome_reason" WHEN 'B' THEN s.a_outcome_reason END,
  "reported_summary"         = CASE WHEN s.summary_side IN ('R', 'B') THEN c."summary" END,
  "analysed_summary"         = CASE s.summary_side WHEN 'A' THEN c."summary" WHEN 'B' THEN s.a_summary END,
  "reported_sentiment_score" = CASE WHEN s.sentiment_side IN ('R', 'B') THEN c."sentiment_score" END,
  "reported_sentiment_label" = CASE WHEN s.sentiment_side IN ('R', 'B') THEN c."sentiment_label" END,
  "analysed_sentiment_score" = CASE s.sentiment_side WHEN 'A' THEN c."sentiment_score" WHEN 'B' THEN s.a_sentiment_score END,
  "analysed_sentiment_label" = CASE s.sentiment_side WHEN 'A' THEN c."sentiment_label" WHEN 'B' THEN s.a_sentiment_label END,
  "reported_topics"          = CASE WHEN s.topics_side IN ('R', 'B') THEN coalesce(c."topics", '{}') ELSE '{}' END,
  "analysed_topics"          = CASE s.topics_side WHEN 'A' THEN coalesce(c."topics", '{}') WHEN 'B' THEN coalesce(s.a_topics, '{}') ELSE '{}' END
FROM sides s
WHERE c."alma_internal_organization" = s.org AND c."uuid" = s.conv;

-- The effective columns follow the two sides, whoever writes: ingest writes only reported_*,
-- the analysis only analysed_*, and this trigger picks per group by the organization's
-- value_precedence (looked up only when both sides have a value). A writer that sets a top-level
-- column directly (and neither side of its group) is taken as reporting it. Outcome and reason,
-- and sentiment score and label, move together: a side "has" the group when either is set.
CREATE FUNCTION "alma_conversation_effective_values"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  analysed_first BOOLEAN := false;
  r_outcome BOOLEAN; a_outcome BOOLEAN;
  r_summary BOOLEAN; a_summary BOOLEAN;
  r_sentiment BOOLEAN; a_sentiment BOOLEAN;
  r_topics BOOLEAN; a_topics BOOLEAN;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW."reported_outcome" IS NULL AND NEW."reported_outcome_reason" IS NULL AND NEW."analysed_outcome" IS NULL AND NEW."analysed_outcome_reason" IS NULL THEN
      NEW."reported_outcome" := NEW."outcome"; NEW."reported_outcome_reason" := NEW."outcome_reason";
    END IF;
    IF NEW."reported_summary" IS NULL AND NEW."analysed_summary" IS NULL THEN
      NEW."reported_summary" := NEW."summary";
    END IF;
    IF NEW."reported_sentiment_score" IS NULL AND NEW."reported_sentiment_label" IS NULL AND NEW."analysed_sentiment_score" IS NULL AND NEW."analysed_sentiment_label" IS NULL THEN
      NEW."reported_sentiment_score" := NEW."sentiment_score"; NEW."reported_sentiment_label" := NEW."sentiment_label";
    END IF;
    IF cardinality(coalesce(NEW."reported_topics", '{}')) = 0 AND cardinality(coalesce(NEW."analysed_topics", '{}')) = 0 THEN
      NEW."reported_topics" := coalesce(NEW."topics", '{}');
    END IF;
  ELSE
    IF (NEW."outcome", NEW."outcome_reason") IS DISTINCT FROM (OLD."outcome", OLD."outcome_reason")
       AND (NEW."reported_outcome", NEW."reported_outcome_reason", NEW."analysed_outcome", NEW."analysed_outcome_reason")
           IS NOT DISTINCT FROM (OLD."reported_outcome", OLD."reported_outcome_reason", OLD."analysed_outcome", OLD."analysed_outcome_reason") THEN
      NEW."reported_outcome" := NEW."outcome"; NEW."reported_outcome_reason" := NEW."outcome_reason";
    END IF;
    IF NEW."summary" IS DISTINCT FROM OLD."summary"
       AND (NEW."reported_summary", NEW."analysed_summary") IS NOT DISTINCT FROM (OLD."reported_summary", OLD."analysed_summary") THEN
      NEW."reported_summary" := NEW."summary";
    END IF;
    IF (NEW."sentiment_score", NEW."sentiment_label") IS DISTINCT FROM (OLD."sentiment_score", OLD."sentiment_label")
       AND (NEW."reported_sentiment_score", NEW."reported_sentiment_label", NEW."analysed_sentiment_score", NEW."analysed_sentiment_label")
           IS NOT DISTINCT FROM (OLD."reported_sentiment_score", OLD."reported_sentiment_label", OLD."analysed_sentiment_score", OLD."analysed_sentiment_label") THEN
      NEW."reported_sentiment_score" := NEW."sentiment_score"; NEW."reported_sentiment_label" := NEW."sentiment_label";
    END IF;
    IF NEW."topics" IS DISTINCT FROM OLD."topics"
       AND (NEW."reported_topics", NEW."analysed_topics") IS NOT DISTINCT FROM (OLD."reported_topics", OLD."analysed_topics") THEN
      NEW."reported_topics" := coalesce(NEW."topics", '{}');
    END IF;
  END IF;

  r_outcome := NEW."reported_outcome" IS NOT NULL OR NEW."reported_outcome_reason" IS NOT NULL;
  a_outcome := NEW."analysed_outcome" IS NOT NULL OR NEW."analysed_outcome_reason" IS NOT NULL;
  r_summary := NEW."reported_summary" IS NOT NULL;
  a_summary := NEW."analysed_summary" IS NOT NULL;
  r_sentiment := NEW."reported_sentiment_score" IS NOT NULL OR NEW."reported_sentiment_label" IS NOT NULL;
  a_sentiment := NEW."analysed_sentiment_score" IS NOT NULL OR NEW."analysed_sentiment_label" IS NOT NULL;
  r_topics := cardinality(coalesce(NEW."reported_topics", '{}')) > 0;
  a_topics := cardinality(coalesce(NEW."analysed_topics", '{}')) > 0;
  IF (r_outcome AND a_outcome) OR (r_summary AND a_summary) OR (r_sentiment AND a_sentiment) OR (r_topics AND a_topics) THEN
    SELECT o."value_precedence" = 'ANALYSED_FIRST' INTO analysed_first FROM "organizations" o WHERE o."uuid" = NEW."alma_internal_organization";
    analysed_first := coalesce(analysed_first, false);
  END IF;

  IF r_outcome AND NOT (analysed_first AND a_outcome) THEN
    NEW."outcome" := NEW."reported_outcome"; NEW."outcome_reason" := NEW."reported_outcome_reason";
  ELSE
    NEW."outcome" := NEW."analysed_outcome"; NEW."outcome_reason" := NEW."analysed_outcome_reason";
  END IF;
  NEW."summary" := CASE WHEN r_summary AND NOT (analysed_first AND a_summary) THEN NEW."reported_summary" ELSE NEW."analysed_summary" END;
  IF r_sentiment AND NOT (analysed_first AND a_sentiment) THEN
    NEW."sentiment_score" := NEW."reported_sentiment_score"; NEW."sentiment_label" := NEW."reported_sentiment_label";
  ELSE
    NEW."sentiment_score" := NEW."analysed_sentiment_score"; NEW."sentiment_label" := NEW."analysed_sentiment_label";
  END IF;
  NEW."topics" := CASE WHEN r_topics AND NOT (analysed_first AND a_topics) THEN NEW."reported_topics" ELSE coalesce(NEW."analysed_topics", '{}') END;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "conversations_effective_values"
BEFORE INSERT OR UPDATE OF "outcome", "outcome_reason", "summary", "sentiment_score", "sentiment_label", "topics",
  "reported_outcome", "reported_outcome_reason", "reported_summary", "reported_sentiment_score", "reported_sentiment_label", "reported_topics",
  "analysed_outcome", "analysed_outcome_reason", "analysed_summary", "analysed_sentiment_score", "analysed_sentiment_label", "analysed_topics"
ON "conversations"
FOR EACH ROW EXECUTE FUNCTION "alma_conversation_effective_values"();
