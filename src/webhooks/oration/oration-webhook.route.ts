import type http from 'node:http';
import { toDomainError } from '../../database/database-errors.js';
import type { Database } from '../../database/database.js';
import { DomainError, ErrorCode } from '../../errors/domain-error.js';
import { IngestService } from '../../ingest/ingest.service.js';
import type { Logger } from '../../logging/logger.js';
import { HTTP_STATUS, sendJson } from '../../server/http-errors.js';
import type { RequestAdmission } from '../../server/request-admission.js';
import { parseJson, PayloadTooLargeError, readBody } from '../../server/request-body.js';
import { mapOrationWebhook } from './oration-payload.mapper.js';
import { parseOrationWebhook } from './oration-payload.schema.js';

export interface OrationWebhookDependencies {
  database: Database;
  logger: Logger;
  admission: RequestAdmission;
  maxBodyBytes: number;
}

/**
 * `POST /webhooks/oration`: the voice platform's `conversation.completed` /
 * `conversation.analysisCompleted` payload, as it sends it, authenticated with an INGEST API key.
 * Idempotent: a delivery whose `eventId` the organization has seen before, or the same payload
 * again, answers 200 with `duplicate: true` (status UNCHANGED) and writes nothing; a changed payload
 * for a known conversation id updates what changed (200, status UPDATED); a new one is 201 (CREATED).
 */
export function orationWebhookRoute(dependencies: OrationWebhookDependencies) {
  return async (request: http.IncomingMessage, response: http.ServerResponse, requestId: string) => {
    try {
      const credential = await dependencies.admission.admit(request, response);
      if (credential.kind !== 'API_KEY') {
        throw new DomainError(ErrorCode.UNAUTHENTICATED, 'This webhook takes an API key (x-api-key or Authorization: Bearer)');
      }
      if (!credential.scopes.includes('INGEST')) throw new DomainError(ErrorCode.FORBIDDEN, 'The API key needs the INGEST scope');

      const parsed = parseOrationWebhook(parseJson(await readBody(request, dependencies.maxBodyBytes)));
      if (!parsed.ok) {
        sendJson(response, 400, { error: { code: ErrorCode.BAD_USER_INPUT, message: 'The payload is not a valid Oration webhook', issues: parsed.issues } });
        return;
      }
      const ingest = new IngestService(dependencies.database.forOrganization(credential.organizationId));
      const { eventId } = parsed.value;
      const { conversation, created, status } = await ingest.ingestConversation(mapOrationWebhook(parsed.value), { eventId });
      dependencies.logger.info({ requestId, conversationId: conversation.id, status, eventId }, 'oration webhook ingested');
      sendJson(response, created ? 201 : 200, { conversationId: conversation.id, externalId: conversation.externalId, created, status, duplicate: status === 'UNCHANGED' });
    } catch (error) {
      if (error instanceof PayloadTooLargeError) {
        sendJson(response, 413, { error: { code: ErrorCode.BAD_USER_INPUT, message: error.message } });
        return;
      }
      const domain = toDomainError(error);
      if (!domain) throw error;
      sendJson(response, HTTP_STATUS[domain.code], { error: { code: domain.code, message: domain.message, ...(domain.details ? { details: domain.details } : {}) } });
    }
  };
}
