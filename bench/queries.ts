/** The GraphQL operations the scenarios send (all through variables, as a dashboard would). */

export const DASHBOARD_QUERY = `query BenchDashboard($first: Int!, $messages: Int!) {
  conversations(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id externalId channel status outcome startedAt durationSeconds
        sentiment { score label }
        agents { activatedAt agent { id name } }
        messages(first: $messages) {
          totalCount
          edges { node { sequence senderRole content sender { id name } senderContact { id name } } }
        }
        events { eventType eventSubtype payload agent { id name } followUp { score followUpDate } }
        analyses { analysisType result createdAt }
      }
    }
  }
}`;

export const DETAIL_QUERY = `query BenchConversation($id: UUID!) {
  conversation(id: $id) {
    id externalId channel direction status startedAt endedAt durationSeconds endedBy endReason outcome outcomeReason
    summary topics sentiment { score label } analysisStatus analyzedAt userSatisfactionScore callQualityScore
    agents { id externalId activatedAt deactivatedAt usageDurationSeconds handoffReason successRate agent { id name externalId } }
    participants { id joinedAt leftAt contact { id name email phoneNumber } }
    messages(first: 100) { totalCount edges { node { sequence senderRole content sentAt sentimentScore sender { id name } } } }
    actions { functionName status executionTimeMs errorMessage occurredAt agent { id name } }
    tickets { ticketSystem ticketId action status reason occurredAt }
    transfers { destination status startedAt endedAt agent { id name } }
    events { eventType eventSubtype payload source confidence followUp { score followUpDate } }
    followUps { score followUpDate agent { id name } }
    analyses { analysisType result origin promptTokens totalTokens createdAt supersededAt }
    dispositionMetrics { identifier type value confidence reasoning }
    metrics { totalUserTurns totalAgentTurns avgResponseTimeMs totalFunctionsCalled uniqueAgentsUsed ticketsCreatedCount overallSuccessScore }
  }
}`;

export const OVERVIEW_QUERY = `query BenchOverview($range: AnalyticsRangeInput!, $filter: ConversationFilter) {
  analyticsOverview(range: $range, filter: $filter, timezone: "UTC", bucket: DAY) {
    conversations { total completed ongoing failed }
    duration { count average median p90 min max }
    outcomes { key count share }
    endedBy { key count share }
    sentiment { analyzed average labels { key count share } }
    trend { start total completed averageSentiment averageDurationSeconds }
    topTopics(limit: 10) { key count share }
    events { eventType eventSubtype count }
    salesFunnel { stages { stage conversations } transitions { fromStage toStage count } }
    tickets { action reason count }
    agents {
      agentId agent { name } conversations resolved resolutionRate averageSentiment averageDurationSeconds
      functionCalls functionCallSuccesses functionCallSuccessRate averageExecutionTimeMs p95ExecutionTimeMs
      topErrors { message count }
    }
    followUpsDue { total buckets { start count } }
    analysisUsage { runs promptTokens completionTokens totalTokens costUsd }
  }
}`;

export const DISPOSITION_QUERY = `query BenchDisposition($identifier: String!, $range: AnalyticsRangeInput!) {
  dispositionMetricStats(identifier: $identifier, range: $range, groupBy: BOTH, timezone: "UTC", bucket: DAY) {
    identifier
    metricType
    overall { count choices { key count share } average min max median p90 p95 }
    groups { agentId agent { name } bucketStart count choices { key count share } average min max median p90 p95 }
  }
}`;

export function body(query: string, variables: Record<string, unknown>): string {
  return JSON.stringify({ query, variables });
}
