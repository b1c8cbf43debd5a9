import { useMemo } from 'react';
import { useApiQuery } from '../api/use-api';
import { graphql } from '../gql';
import type { DispositionMetricType } from '../gql/graphql';

const AgentCatalogQuery = graphql(`
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
`);

const MetricCatalogQuery = graphql(`
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
`);

export interface AgentOption {
  id: string;
  name: string;
}

/** The organization's agents, by name, for pickers. */
export function useAgentCatalog(): { agents: AgentOption[]; loading: boolean } {
  const query = useApiQuery(AgentCatalogQuery, {});
  const agents = useMemo(
    () =>
      (query.data?.agents.edges ?? [])
        .map(({ node }) => ({ id: node.id, name: node.name ?? 'Unnamed agent' }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [query.data],
  );
  return { agents, loading: query.isPending };
}

export interface MetricDefinition {
  identifier: string;
  type: DispositionMetricType;
  choices: string[];
  prompt: string;
}

/** Every disposition metric the organization's configs ever defined (the newest definition wins). */
export function useMetricCatalog(): { metrics: MetricDefinition[]; loading: boolean; error: ReturnType<typeof useApiQuery>['error'] } {
  const query = useApiQuery(MetricCatalogQuery, {});
  const metrics = useMemo(() => {
    const byIdentifier = new Map<string, MetricDefinition>();
    for (const config of query.data?.analysisConfigHistory ?? []) {
      for (const metric of config.dispositionMetrics) {
        if (!byIdentifier.has(metric.identifier)) {
          byIdentifier.set(metric.identifier, { identifier: metric.identifier, type: metric.type, choices: metric.choices ?? [], prompt: metric.prompt });
        }
      }
    }
    return [...byIdentifier.values()].sort((a, b) => a.identifier.localeCompare(b.identifier));
  }, [query.data]);
  return { metrics, loading: query.isPending, error: query.error };
}
