import type { TenantScope } from '../database/tenant-scope.js';
import type { Channel, MessageType, SenderRole } from '../generated/prisma/enums.js';

export interface MessageRow {
  sequence: number;
  senderRole: SenderRole;
  senderId: string | null;
  senderContactId: string | null;
  content: string;
  type: MessageType;
  link: string | null;
  /** The turn's own channel and origin; null inherits the conversation's (written as the conversation's). */
  channel: Channel | null;
  origin: string | null;
  subchannel: string | null;
  sentAt: Date | null;
  sentimentScore: number | null;
  speechToTextConfidence: number | null;
  metaData: unknown;
}

const COLUMNS = `turn_sequence_number, sender_role, sender_uuid, sender_contact_uuid, content, type, link, subchannel,
  sent_at, sentiment_score, speech_to_text_confidence, meta_data`;

/**
 * Writes a conversation's messages in one set-based statement (the rows travel as one JSON
 * parameter, expanded by jsonb_to_recordset). With `replace`, a taken sequence number is
 * overwritten (idempotent re-ingest); without it, a taken sequence number fails with a
 * unique violation (CONFLICT).
 */
export async function insertMessages(
  scope: TenantScope,
  conversation: { id: string; channel: Channel; origin: string },
  rows: MessageRow[],
  mode: { replace: boolean },
): Promise<number> {
  if (rows.length === 0) return 0;
  const records = rows.map((row) => ({
    turn_sequence_number: row.sequence,
    sender_role: row.senderRole,
    sender_uuid: row.senderId,
    sender_contact_uuid: row.senderContactId,
    content: row.content,
    type: row.type,
    link: row.link,
    channel: row.channel,
    origin: row.origin,
    subchannel: row.subchannel,
    sent_at: row.sentAt?.toISOString() ?? null,
    sentiment_score: row.sentimentScore,
    speech_to_text_confidence: row.speechToTextConfidence,
    meta_data: row.metaData ?? null,
  }));
  const onConflict = mode.replace
    ? `ON CONFLICT (alma_internal_organization, conversation_uuid, turn_sequence_number) DO UPDATE SET
         sender_role = EXCLUDED.sender_role, sender_uuid = EXCLUDED.sender_uuid,
         sender_contact_uuid = EXCLUDED.sender_contact_uuid, content = EXCLUDED.content, type = EXCLUDED.type,
         link = EXCLUDED.link, channel = EXCLUDED.channel, origin = EXCLUDED.origin, subchannel = EXCLUDED.subchannel, sent_at = EXCLUDED.sent_at,
         sentiment_score = EXCLUDED.sentiment_score, speech_to_text_confidence = EXCLUDED.speech_to_text_confidence,
         meta_data = EXCLUDED.meta_data, updated_at = now()
       WHERE (messages.sender_role, messages.sender_uuid, messages.sender_contact_uuid, messages.content, messages.type,
              messages.link, messages.channel, messages.origin, messages.subchannel, messages.sent_at, messages.sentiment_score,
              messages.speech_to_text_confidence, messages.meta_data)
         IS DISTINCT FROM
             (EXCLUDED.sender_role, EXCLUDED.sender_uuid, EXCLUDED.sender_contact_uuid, EXCLUDED.content, EXCLUDED.type,
              EXCLUDED.link, EXCLUDED.channel, EXCLUDED.origin, EXCLUDED.subchannel, EXCLUDED.sent_at, EXCLUDED.sentiment_score,
              EXCLUDED.speech_to_text_confidence, EXCLUDED.meta_data)`
    : '';
  const result = await scope.query<{ count: number }>(
    `WITH written AS (
       INSERT INTO messages (alma_internal_organization, conversation_uuid, channel, origin, ${COLUMNS})
       SELECT $1, $2::uuid, COALESCE(r.channel, $3::channel), COALESCE(r.origin, $4), ${COLUMNS}
       FROM jsonb_to_recordset($5::jsonb) AS r(
         channel channel, origin text, turn_sequence_number int, sender_role sender_role, sender_uuid uuid, sender_contact_uuid uuid, content text,
         type message_type, link text, subchannel text, sent_at timestamptz, sentiment_score float8,
         speech_to_text_confidence float8, meta_data jsonb)
       ${onConflict}
       RETURNING 1)
     SELECT count(*)::int AS count FROM written`,
    [conversation.id, conversation.channel, conversation.origin, JSON.stringify(records)],
  );
  return result[0]?.count ?? 0;
}
