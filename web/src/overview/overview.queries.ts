import { graphql } from '../gql';

export const OverviewQuery = graphql(`
  query Overview($range: AnalyticsRangeInput!, $filter: ConversationFilter, $timezone: String!, $bucket: TimeBucket!) {
    analyticsOverview(range: $range, filter: $filter, timezone: $timezone, bucket: $bucket) {
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
`);
