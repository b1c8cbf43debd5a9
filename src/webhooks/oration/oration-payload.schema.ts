import { z } from 'zod';

/**
 * The Oration voice platform's conversation webhook (seed 003), field for field.
 * Objects are loose so a field Oration adds later doesn't reject the delivery.
 */

const id = z.string().min(1);
const optionalText = z.string().nullable().optional();
const optionalTimestamp = z.iso.datetime({ offset: true }).nullable().optional();
const jsonObject = z.record(z.string(), z.unknown());

export const ORATION_EVENT_TYPES = ['conversation.analysisCompleted', 'conversation.completed'] as const;

const orationCustomerSchema = z
  .object({
    id,
    name: optionalText,
    email: optionalText,
    phoneNumber: optionalText,
    identifier: optionalText,
    priority: z.number().int().nullable().optional(),
    workspaceId: optionalText,
    sourceFile: optionalText,
    source: z.object({ method: optionalText }).loose().nullable().optional(),
    isDoNotDisturbEnabled: z.boolean().nullable().optional(),
    metadata: jsonObject.nullable().optional(),
    createdAt: optionalTimestamp,
    updatedAt: optionalTimestamp,
  })
  .loose();

const orationPostCallMetadataSchema = z
  .object({
    sentiment: optionalText,
    duration: z.number().nullable().optional(),
    resolution: optionalText,
  })
  .loose();

/** `agents[]`: one stint of an agent in the conversation. */
const orationAgentUsageSchema = z
  .object({
    id,
    agentId: id,
    conversationId: optionalText,
    agentJoinTime: optionalTimestamp,
    agentLeaveTime: optionalTimestamp,
    createdAt: optionalTimestamp,
    updatedAt: optionalTimestamp,
  })
  .loose();

/** `users[]`: one stint of the customer in the conversation. */
const orationUserSessionSchema = z
  .object({
    id,
    agentId: optionalText,
    conversationId: optionalText,
    userJoinTime: optionalTimestamp,
    userLeaveTime: optionalTimestamp,
    createdAt: optionalTimestamp,
    updatedAt: optionalTimestamp,
  })
  .loose();

const orationTransferSchema = z
  .object({
    id,
    agentId: optionalText,
    conversationId: optionalText,
    transferStartTime: optionalTimestamp,
    transferEndTime: optionalTimestamp,
    transferUserJoinTime: optionalTimestamp,
    transferUserLeaveTime: optionalTimestamp,
    transferDestination: optionalText,
    transferStatus: optionalText,
    createdAt: optionalTimestamp,
    updatedAt: optionalTimestamp,
  })
  .loose();

export const orationConversationSchema = z
  .object({
    id,
    phoneId: optionalText,
    agentId: optionalText,
    workspaceId: optionalText,
    callStartTime: optionalTimestamp,
    callEndTime: optionalTimestamp,
    userJoinTime: optionalTimestamp,
    userLeaveTime: optionalTimestamp,
    agentJoinTime: optionalTimestamp,
    agentLeaveTime: optionalTimestamp,
    transferStartTime: optionalTimestamp,
    transferEndTime: optionalTimestamp,
    transferUserJoinTime: optionalTimestamp,
    transferUserLeaveTime: optionalTimestamp,
    transferStatus: optionalText,
    transferDestination: optionalText,
    customerId: optionalText,
    customer: orationCustomerSchema.nullable().optional(),
    toPhoneNumber: optionalText,
    fromPhoneNumber: optionalText,
    conversationStatus: optionalText,
    telephonyType: optionalText,
    telephonyStatus: optionalText,
    endReason: optionalText,
    recordingStatus: optionalText,
    recordingUrl: optionalText,
    postCallMetadata: orationPostCallMetadataSchema.nullable().optional(),
    conversationType: optionalText,
    // Oration sends a JSON-encoded string; an object is accepted too.
    dynamicVariables: z.union([z.string(), jsonObject]).nullable().optional(),
    campaignId: optionalText,
    campaignRunId: optionalText,
    transcript: optionalText,
    createdAt: optionalTimestamp,
    updatedAt: optionalTimestamp,
    agents: z.array(orationAgentUsageSchema).nullable().optional(),
    users: z.array(orationUserSessionSchema).nullable().optional(),
    transfers: z.array(orationTransferSchema).nullable().optional(),
  })
  .loose();

export const orationWebhookSchema = z
  .object({
    eventId: id,
    eventType: z.enum(ORATION_EVENT_TYPES),
    payload: orationConversationSchema,
  })
  .loose();

export type OrationWebhook = z.infer<typeof orationWebhookSchema>;
export type OrationConversation = OrationWebhook['payload'];
export type OrationCustomer = z.infer<typeof orationCustomerSchema>;
export type OrationTransfer = z.infer<typeof orationTransferSchema>;

export interface OrationWebhookIssue {
  /** Dotted path into the body, e.g. `payload.callStartTime` or `payload.agents.0.id`. */
  path: string;
  message: string;
}

export type OrationWebhookParseResult = { ok: true; value: OrationWebhook } | { ok: false; issues: OrationWebhookIssue[] };

export function parseOrationWebhook(body: unknown): OrationWebhookParseResult {
  const parsed = orationWebhookSchema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, issues: parsed.error.issues.map(toIssue) };
}

function toIssue(issue: z.core.$ZodIssue): OrationWebhookIssue {
  const path = issue.path.map(String).join('.');
  return { path: path || '(root)', message: issue.message };
}
