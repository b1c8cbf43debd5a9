import type { TenantScope } from '../database/tenant-scope.js';
import type { ValuePrecedence } from '../generated/prisma/enums.js';

/**
 * SQL of an organization's value precedence. The top-level outcome, summary, sentiment and
 * topics of its conversations are kept by the `conversations_effective_values` trigger from their
 * reported_* and analysed_* columns; when the precedence changes, `refreshEffectiveValues` has the
 * trigger pick again on every conversation where both sides have a value (elsewhere the choice
 * can't change).
 */

/** The organization's precedence, its row locked until the transaction ends (concurrent changes wait). */
export async function lockValuePrecedence(scope: TenantScope): Promise<ValuePrecedence | null> {
  const [row] = await scope.query<{ value_precedence: ValuePrecedence }>(
    'SELECT value_precedence FROM organizations WHERE uuid = $1 FOR UPDATE',
  );
  return row?.value_precedence ?? null;
}

/** Recomputes the effective values of the conversations that have both sides of some value; returns how many. */
export async function refreshEffectiveValues(scope: TenantScope): Promise<number> {
  const rows = await scope.query<{ n: number }>(
    `WITH refreshed AS (
       UPDATE conversations SET outcome = outcome
       WHERE alma_internal_organization = $1 AND (
         ((reported_outcome IS NOT NULL OR reported_outcome_reason IS NOT NULL) AND (analysed_outcome IS NOT NULL OR analysed_outcome_reason IS NOT NULL))
         OR (reported_summary IS NOT NULL AND analysed_summary IS NOT NULL)
         OR ((reported_sentiment_score IS NOT NULL OR reported_sentiment_label IS NOT NULL)
             AND (analysed_sentiment_score IS NOT NULL OR analysed_sentiment_label IS NOT NULL))
         OR (cardinality(coalesce(reported_topics, '{}')) > 0 AND cardinality(coalesce(analysed_topics, '{}')) > 0))
       RETURNING 1)
     SELECT count(*)::int AS n FROM refreshed`,
  );
  return rows[0]?.n ?? 0;
}
