import { graphql } from '../gql';

export const ConversationDetailQuery = graphql(`
  query ConversationDetail($id: UUID!) {
    conversation(id: $id) {
      id
      externalId
      channel
      direction
      status
      startedAt
      endedAt
      durationSeconds
      endedBy
      endReason
      outcome
      outcomeReason
      summary
      topics
      sentiment {
        label
        score
      }
      analysisStatus
      analysisError
      analyzedAt
      fromPhoneNumber
      toPhoneNumber
      agents {
        id
        agent {
          id
          name
        }
        handoffReason
        usageDurationSeconds
      }
      participants {
        id
        contact {
          name
          phoneNumber
          email
        }
      }
      actions {
        id
        functionName
        status
        occurredAt
        executionTimeMs
        errorMessage
        retryCount
        message {
          id
          sequence
        }
        agent {
          name
        }
      }
      tickets {
        id
        ticketSystem
        ticketId
        action
        status
        reason
        occurredAt
      }
      events {
        id
        eventType
        eventSubtype
        payload
        confidence
        contextStartIndex
        contextEndIndex
        source
        scheduledTo
      }
      dispositionMetrics {
        identifier
        type
        value
        confidence
        reasoning
        contextStartIndex
        contextEndIndex
        configVersion
      }
      analyses {
        id
        analysisType
        provider
        model
        configVersion
        status
        error
        createdAt
        supersededAt
        totalTokens
      }
      metrics {
        totalUserTurns
        totalAgentTurns
        avgResponseTimeMs
        totalFunctionsCalled
        ticketsCreatedCount
      }
    }
  }
`);

export const ConversationMessagesQuery = graphql(`
  query ConversationMessages($id: UUID!, $after: String) {
    conversation(id: $id) {
      messages(first: 100, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            sequence
            senderRole
            content
            sentAt
            sentimentScore
            speechToTextConfidence
            sender {
              name
            }
            senderContact {
              name
            }
          }
        }
      }
    }
  }
`);

export const ReanalyzeConversationMutation = graphql(`
  mutation ReanalyzeConversation($id: UUID!) {
    reanalyzeConversation(id: $id) {
      id
      analysisStatus
    }
  }
`);

/** Every conversation that touched a ticket (created, updated, retrieved or linked it), oldest first. */
export const TicketConversationsQuery = graphql(`
  query TicketConversations($ticketSystem: String!, $ticketId: String!) {
    tickets(filter: { ticketSystem: $ticketSystem, ticketId: $ticketId }, first: 20) {
      totalCount
      edges {
        node {
          id
          action
          conversation {
            id
            externalId
            startedAt
          }
        }
      }
    }
  }
`);
