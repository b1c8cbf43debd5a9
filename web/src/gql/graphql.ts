/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type ActionStatus =
  | 'FAIL'
  | 'RETRY'
  | 'SUCCESS'
  | 'TIMEOUT';

export type AnalysisRunStatus =
  | 'COMPLETED'
  | 'FAILED';

export type AnalysisStatus =
  | 'COMPLETED'
  | 'FAILED'
  | 'NOT_REQUESTED'
  | 'PENDING'
  | 'RUNNING';

export type AnalysisType =
  | 'DISPOSITION_METRICS'
  | 'EVENT_DETECTION'
  | 'OUTCOME'
  | 'SENTIMENT_ANALYSIS'
  | 'SUMMARY'
  | 'TOPICS_DETECTED';

/** A half-open time range [from, to) on conversations.startedAt */
export type AnalyticsRangeInput = {
  from: string;
  to: string;
};

/** READ: read data · INGEST: push data · MANAGE: own keys, webhooks, analysis config */
export type ApiKeyScope =
  | 'INGEST'
  | 'MANAGE'
  | 'READ';

export type Channel =
  | 'CHAT'
  | 'EMAIL'
  | 'OTHER'
  | 'SMS'
  | 'VIDEO'
  | 'VOICE'
  | 'WHATSAPP';

export type ConversationFilter = {
  /** Conversations this agent took part in */
  agentId?: string | null | undefined;
  /** Where the analysis stands: e.g. [PENDING, RUNNING] or [FAILED] */
  analysisStatuses?: Array<AnalysisStatus> | null | undefined;
  channels?: Array<Channel> | null | undefined;
  /** Conversations this contact took part in */
  contactId?: string | null | undefined;
  /** Every condition must hold */
  disposition?: Array<DispositionFilterInput> | null | undefined;
  /** Conversations with at least one event of this type */
  eventType?: EventType | null | undefined;
  externalId?: string | null | undefined;
  origin?: string | null | undefined;
  outcomes?: Array<Outcome> | null | undefined;
  /** The conversation's sentiment label is one of */
  sentiments?: Array<SentimentLabel> | null | undefined;
  /** Which side outcomes, sentiments and topics are read from (default EFFECTIVE, what the top-level fields show); analyticsOverview aggregates outcomes, sentiment and topics from the same side */
  source?: ValueSource | null | undefined;
  /** On startedAt */
  startedAt?: TimeRangeInput | null | undefined;
  statuses?: Array<ConversationStatus> | null | undefined;
  /** Case-insensitive text in any message (at most 200 characters, else BAD_USER_INPUT) */
  text?: string | null | undefined;
  /** The conversation has at least one of these topics (exact text) */
  topics?: Array<string> | null | undefined;
};

export type ConversationOrder =
  | 'CREATED_AT_ASC'
  | 'CREATED_AT_DESC'
  | 'STARTED_AT_ASC'
  | 'STARTED_AT_DESC';

export type ConversationStatus =
  | 'COMPLETED'
  | 'FAILED'
  | 'ONGOING';

export type Direction =
  | 'INBOUND'
  | 'OUTBOUND';

/** A condition on one disposition metric of the conversation's current analysis */
export type DispositionFilterInput = {
  /** DATETIME value ≥ */
  after?: string | null | undefined;
  /** DATETIME value < */
  before?: string | null | undefined;
  /** STRING / ENUM value equals */
  equals?: string | null | undefined;
  identifier: string;
  /** STRING / ENUM value is one of */
  in?: Array<string> | null | undefined;
  /** BOOLEAN value is */
  is?: boolean | null | undefined;
  /** INTEGER value ≤ */
  max?: number | null | undefined;
  /** INTEGER value ≥ */
  min?: number | null | undefined;
  /** Confidence ≥ */
  minConfidence?: number | null | undefined;
};

/** How dispositionMetricStats groups its values */
export type DispositionGroupBy =
  | 'AGENT'
  | 'BOTH'
  | 'BUCKET';

export type DispositionMetricType =
  | 'BOOLEAN'
  | 'DATETIME'
  | 'ENUM'
  | 'INTEGER'
  | 'STRING';

export type EndedBy =
  | 'AGENT'
  | 'SYSTEM'
  | 'USER';

export type EventSource =
  | 'DETECTED'
  | 'INGESTED';

/** The seed 001 event catalog */
export type EventType =
  | 'CUSTOMER_INFORMATION_DETECTION'
  | 'FOLLOWUP_DETECTION'
  | 'MEETING_DONE'
  | 'MEETING_SCHEDULED'
  | 'OBJECTION_DETECTION'
  | 'SALES_STAGE_CHANGE'
  | 'SALE_MADE';

/** Inactive organizations keep their data; their credentials stop working */
export type OrganizationStatus =
  | 'ACTIVE'
  | 'INACTIVE';

/** How the conversation ended for the customer */
export type Outcome =
  | 'ABANDONED'
  | 'ESCALATED'
  | 'NOT_RESOLVED'
  | 'RESOLVED'
  | 'TRANSFERRED'
  | 'UNKNOWN';

export type SenderRole =
  | 'AGENT'
  | 'SYSTEM'
  | 'USER';

export type SentimentLabel =
  | 'MIXED'
  | 'NEGATIVE'
  | 'NEUTRAL'
  | 'POSITIVE';

export type TicketAction =
  | 'CREATED'
  | 'LINKED'
  | 'RETRIEVED'
  | 'UPDATED';

/** Time bucket, in the caller's time zone (weeks start on Monday) */
export type TimeBucket =
  | 'DAY'
  | 'HOUR'
  | 'MONTH'
  | 'WEEK';

/** A time range; either end may be open */
export type TimeRangeInput = {
  from?: string | null | undefined;
  to?: string | null | undefined;
};

/** Which side of outcome, sentiment and topics to read: EFFECTIVE (what the top-level fields show, by the organization’s valuePrecedence), REPORTED (what the partner or provider sent) or ANALYSED (what our analysis found) */
export type ValueSource =
  | 'ANALYSED'
  | 'EFFECTIVE'
  | 'REPORTED';

export type AgentsOverviewQueryVariables = Exact<{
  range: AnalyticsRangeInput;
  filter?: ConversationFilter | null | undefined;
  timezone: string;
}>;


export type AgentsOverviewQuery = { analyticsOverview: { agents: Array<{ agentId: string, conversations: number, resolved: number, resolutionRate: number | null, averageSentiment: number | null, averageDurationSeconds: number | null, functionCalls: number, functionCallSuccesses: number, functionCallSuccessRate: number | null, averageExecutionTimeMs: number | null, p95ExecutionTimeMs: number | null, agent: { id: string, name: string | null, internal: boolean }, topErrors: Array<{ message: string, count: number }> }> } };

export type ConversationDetailQueryVariables = Exact<{
  id: string;
}>;


export type ConversationDetailQuery = { conversation: { id: string, externalId: string | null, channel: Channel, direction: Direction | null, status: ConversationStatus, startedAt: string | null, endedAt: string | null, durationSeconds: number | null, endedBy: EndedBy | null, endReason: string | null, outcome: Outcome | null, outcomeReason: string | null, summary: string | null, topics: Array<string>, analysisStatus: AnalysisStatus, analysisError: string | null, analyzedAt: string | null, fromPhoneNumber: string | null, toPhoneNumber: string | null, sentiment: { label: SentimentLabel | null, score: number | null }, agents: Array<{ id: string, handoffReason: string | null, usageDurationSeconds: number | null, agent: { id: string, name: string | null } }>, participants: Array<{ id: string, contact: { name: string | null, phoneNumber: string | null, email: string | null } | null }>, actions: Array<{ id: string, functionName: string, status: ActionStatus, occurredAt: string | null, executionTimeMs: number | null, errorMessage: string | null, retryCount: number, message: { id: string, sequence: number } | null, agent: { name: string | null } | null }>, tickets: Array<{ id: string, ticketSystem: string, ticketId: string, action: TicketAction, status: string | null, reason: string | null, occurredAt: string | null }>, events: Array<{ id: string, eventType: EventType, eventSubtype: string | null, payload: unknown, confidence: number | null, contextStartIndex: number | null, contextEndIndex: number | null, source: EventSource, scheduledTo: string | null }>, dispositionMetrics: Array<{ identifier: string, type: DispositionMetricType, value: unknown, confidence: number | null, reasoning: string | null, contextStartIndex: number | null, contextEndIndex: number | null, configVersion: number | null }>, analyses: Array<{ id: string, analysisType: AnalysisType, provider: string | null, model: string | null, configVersion: number | null, status: AnalysisRunStatus, error: string | null, createdAt: string, supersededAt: string | null, totalTokens: number | null }>, metrics: { totalUserTurns: number, totalAgentTurns: number, avgResponseTimeMs: number | null, totalFunctionsCalled: number, ticketsCreatedCount: number } | null } };

export type ConversationMessagesQueryVariables = Exact<{
  id: string;
  after?: string | null | undefined;
}>;


export type ConversationMessagesQuery = { conversation: { messages: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, sequence: number, senderRole: SenderRole, content: string, sentAt: string | null, sentimentScore: number | null, speechToTextConfidence: number | null, sender: { name: string | null } | null, senderContact: { name: string | null } | null } }> } } };

export type ReanalyzeConversationMutationVariables = Exact<{
  id: string;
}>;


export type ReanalyzeConversationMutation = { reanalyzeConversation: { id: string, analysisStatus: AnalysisStatus } };

export type TicketConversationsQueryVariables = Exact<{
  ticketSystem: string;
  ticketId: string;
}>;


export type TicketConversationsQuery = { tickets: { totalCount: number, edges: Array<{ node: { id: string, action: TicketAction, conversation: { id: string, externalId: string | null, startedAt: string | null } } }> } };

export type ConversationListQueryVariables = Exact<{
  filter?: ConversationFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  orderBy?: ConversationOrder | null | undefined;
}>;


export type ConversationListQuery = { conversations: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, externalId: string | null, channel: Channel, direction: Direction | null, status: ConversationStatus, startedAt: string | null, durationSeconds: number | null, outcome: Outcome | null, analysisStatus: AnalysisStatus, sentiment: { label: SentimentLabel | null, score: number | null }, agents: Array<{ agent: { id: string, name: string | null } }>, participants: Array<{ contact: { name: string | null, phoneNumber: string | null } | null }>, events: Array<{ id: string }> } }> } };

export type MetricGroupFieldsFragment = { count: number, average: number | null, median: number | null, min: number | null, max: number | null, p90: number | null, p95: number | null, trueCount: number | null, falseCount: number | null, trueRate: number | null, choices: Array<{ key: string, count: number, share: number }> | null, topValues: Array<{ key: string, count: number, share: number }> | null, dates: Array<{ start: string, count: number }> | null };

export type MetricStatsQueryVariables = Exact<{
  identifier: string;
  range: AnalyticsRangeInput;
  filter?: ConversationFilter | null | undefined;
  groupBy?: DispositionGroupBy | null | undefined;
  timezone: string;
  bucket: TimeBucket;
}>;


export type MetricStatsQuery = { dispositionMetricStats: { identifier: string, metricType: DispositionMetricType | null, overall: { count: number, average: number | null, median: number | null, min: number | null, max: number | null, p90: number | null, p95: number | null, trueCount: number | null, falseCount: number | null, trueRate: number | null, choices: Array<{ key: string, count: number, share: number }> | null, topValues: Array<{ key: string, count: number, share: number }> | null, dates: Array<{ start: string, count: number }> | null }, groups: Array<{ agentId: string | null, bucketStart: string | null, count: number, average: number | null, median: number | null, min: number | null, max: number | null, p90: number | null, p95: number | null, trueCount: number | null, falseCount: number | null, trueRate: number | null, agent: { name: string | null } | null, choices: Array<{ key: string, count: number, share: number }> | null, topValues: Array<{ key: string, count: number, share: number }> | null, dates: Array<{ start: string, count: number }> | null }> } };

export type OverviewQueryVariables = Exact<{
  range: AnalyticsRangeInput;
  filter?: ConversationFilter | null | undefined;
  timezone: string;
  bucket: TimeBucket;
}>;


export type OverviewQuery = { analyticsOverview: { from: string, to: string, timezone: string, bucket: TimeBucket, conversations: { total: number, completed: number, ongoing: number, failed: number }, duration: { count: number, average: number | null, median: number | null, p90: number | null }, outcomes: Array<{ key: string, count: number, share: number }>, endedBy: Array<{ key: string, count: number, share: number }>, sentiment: { analyzed: number, average: number | null, labels: Array<{ key: string, count: number, share: number }> }, trend: Array<{ start: string, total: number, completed: number, averageSentiment: number | null, averageDurationSeconds: number | null }>, topTopics: Array<{ key: string, count: number, share: number }>, events: Array<{ eventType: EventType, eventSubtype: string | null, count: number }>, salesFunnel: { stages: Array<{ stage: string, conversations: number }>, transitions: Array<{ fromStage: string | null, toStage: string, count: number }> }, tickets: Array<{ action: TicketAction, reason: string | null, count: number }>, followUpsDue: { total: number, byType: Array<{ key: string, count: number, share: number }>, buckets: Array<{ start: string, count: number }> }, analysisUsage: { runs: number, totalTokens: number, costUsd: number } } };

export type AgentCatalogQueryVariables = Exact<{ [key: string]: never; }>;


export type AgentCatalogQuery = { agents: { totalCount: number, edges: Array<{ node: { id: string, name: string | null, internal: boolean } }> } };

export type MetricCatalogQueryVariables = Exact<{ [key: string]: never; }>;


export type MetricCatalogQuery = { analysisConfigHistory: Array<{ version: number, dispositionMetrics: Array<{ identifier: string, type: DispositionMetricType, choices: Array<string> | null, prompt: string }> }> };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { kind: string, scopes: Array<ApiKeyScope>, organization: { id: string, name: string, status: OrganizationStatus } | null, apiKey: { name: string } | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const MetricGroupFieldsFragmentDoc = new TypedDocumentString(`
    fragment MetricGroupFields on DispositionMetricGroup {
  count
  average
  median
  min
  max
  p90
  p95
  trueCount
  falseCount
  trueRate
  choices {
    key
    count
    share
  }
  topValues {
    key
    count
    share
  }
  dates {
    start
    count
  }
}
    `, {"fragmentName":"MetricGroupFields"}) as unknown as TypedDocumentString<MetricGroupFieldsFragment, unknown>;
export const AgentsOverviewDocument = new TypedDocumentString(`
    query AgentsOverview($range: AnalyticsRangeInput!, $filter: ConversationFilter, $timezone: String!) {
  analyticsOverview(range: $range, filter: $filter, timezone: $timezone) {
    agents {
      agentId
      agent {
        id
        name
        internal
      }
      conversations
      resolved
      resolutionRate
      averageSentiment
      averageDurationSeconds
      functionCalls
      functionCallSuccesses
      functionCallSuccessRate
      averageExecutionTimeMs
      p95ExecutionTimeMs
      topErrors {
        message
        count
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AgentsOverviewQuery, AgentsOverviewQueryVariables>;
export const ConversationDetailDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<ConversationDetailQuery, ConversationDetailQueryVariables>;
export const ConversationMessagesDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<ConversationMessagesQuery, ConversationMessagesQueryVariables>;
export const ReanalyzeConversationDocument = new TypedDocumentString(`
    mutation ReanalyzeConversation($id: UUID!) {
  reanalyzeConversation(id: $id) {
    id
    analysisStatus
  }
}
    `) as unknown as TypedDocumentString<ReanalyzeConversationMutation, ReanalyzeConversationMutationVariables>;
export const TicketConversationsDocument = new TypedDocumentString(`
    query TicketConversations($ticketSystem: String!, $ticketId: String!) {
  tickets(filter: {ticketSystem: $ticketSystem, ticketId: $ticketId}, first: 20) {
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
    `) as unknown as TypedDocumentString<TicketConversationsQuery, TicketConversationsQueryVariables>;
export const ConversationListDocument = new TypedDocumentString(`
    query ConversationList($filter: ConversationFilter, $first: Int, $after: String, $orderBy: ConversationOrder) {
  conversations(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        externalId
        channel
        direction
        status
        startedAt
        durationSeconds
        outcome
        analysisStatus
        sentiment {
          label
          score
        }
        agents {
          agent {
            id
            name
          }
        }
        participants {
          contact {
            name
            phoneNumber
          }
        }
        events {
          id
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConversationListQuery, ConversationListQueryVariables>;
export const MetricStatsDocument = new TypedDocumentString(`
    query MetricStats($identifier: String!, $range: AnalyticsRangeInput!, $filter: ConversationFilter, $groupBy: DispositionGroupBy, $timezone: String!, $bucket: TimeBucket!) {
  dispositionMetricStats(
    identifier: $identifier
    range: $range
    filter: $filter
    groupBy: $groupBy
    timezone: $timezone
    bucket: $bucket
  ) {
    identifier
    metricType
    overall {
      ...MetricGroupFields
    }
    groups {
      agentId
      agent {
        name
      }
      bucketStart
      ...MetricGroupFields
    }
  }
}
    fragment MetricGroupFields on DispositionMetricGroup {
  count
  average
  median
  min
  max
  p90
  p95
  trueCount
  falseCount
  trueRate
  choices {
    key
    count
    share
  }
  topValues {
    key
    count
    share
  }
  dates {
    start
    count
  }
}`) as unknown as TypedDocumentString<MetricStatsQuery, MetricStatsQueryVariables>;
export const OverviewDocument = new TypedDocumentString(`
    query Overview($range: AnalyticsRangeInput!, $filter: ConversationFilter, $timezone: String!, $bucket: TimeBucket!) {
  analyticsOverview(
    range: $range
    filter: $filter
    timezone: $timezone
    bucket: $bucket
  ) {
    from
    to
    timezone
    bucket
    conversations {
      total
      completed
      ongoing
      failed
    }
    duration {
      count
      average
      median
      p90
    }
    outcomes {
      key
      count
      share
    }
    endedBy {
      key
      count
      share
    }
    sentiment {
      analyzed
      average
      labels {
        key
        count
        share
      }
    }
    trend {
      start
      total
      completed
      averageSentiment
      averageDurationSeconds
    }
    topTopics(limit: 10) {
      key
      count
      share
    }
    events {
      eventType
      eventSubtype
      count
    }
    salesFunnel {
      stages {
        stage
        conversations
      }
      transitions {
        fromStage
        toStage
        count
      }
    }
    tickets {
      action
      reason
      count
    }
    followUpsDue {
      total
      byType {
        key
        count
        share
      }
      buckets {
        start
        count
      }
    }
    analysisUsage {
      runs
      totalTokens
      costUsd
    }
  }
}
    `) as unknown as TypedDocumentString<OverviewQuery, OverviewQueryVariables>;
export const AgentCatalogDocument = new TypedDocumentString(`
    query AgentCatalog {
  agents(first: 100) {
    totalCount
    edges {
      node {
        id
        name
        internal
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AgentCatalogQuery, AgentCatalogQueryVariables>;
export const MetricCatalogDocument = new TypedDocumentString(`
    query MetricCatalog {
  analysisConfigHistory {
    version
    dispositionMetrics {
      identifier
      type
      choices
      prompt
    }
  }
}
    `) as unknown as TypedDocumentString<MetricCatalogQuery, MetricCatalogQueryVariables>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  viewer {
    kind
    scopes
    organization {
      id
      name
      status
    }
    apiKey {
      name
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;