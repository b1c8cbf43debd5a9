import { z } from 'zod';
import type { TenantScope } from '../database/tenant-scope.js';
import { badUserInput, notFound } from '../errors/domain-error.js';
import type { AnalysisConfig as AnalysisConfigRow, Prisma } from '../generated/prisma/client.js';
import { AnalysisType, DispositionMetricType } from '../generated/prisma/enums.js';
import { isUuid } from '../ingest/ingest.service.js';
import type { AnalysisConfigSnapshot, DispositionMetricDefinition } from './analysis-provider.js';

export const ALL_ANALYSES = Object.values(AnalysisType);

const metricSchema = z
  .object({
    identifier: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must start with a letter and use letters, digits and _ (at most 64)'),
    prompt: z.string().trim().min(1, 'must not be empty').max(2_000),
    type: z.enum(DispositionMetricType),
    choices: z.array(z.string().trim().min(1).max(200)).max(50).nullish(),
  })
  .superRefine((metric, context) => {
    if (metric.type === 'ENUM') {
      const choices = metric.choices ?? [];
      if (choices.length < 2) context.addIssue({ code: 'custom', path: ['choices'], message: 'ENUM metrics need at least two choices' });
      if (new Set(choices).size !== choices.length) context.addIssue({ code: 'custom', path: ['choices'], message: 'choices must be distinct' });
    } else if (metric.choices?.length) {
      context.addIssue({ code: 'custom', path: ['choices'], message: `choices are only for ENUM metrics, not ${metric.type}` });
    }
  });

export interface SetAnalysisConfigCommand {
  agentId?: string | null;
  summaryPrompt?: string | null;
  dispositionMetrics: Array<{ identifier: string; prompt: string; type: DispositionMetricType; choices?: string[] | null }>;
  enabledAnalyses?: AnalysisType[] | null;
}

export type ConfigScope = 'AGENT' | 'ORGANIZATION' | 'DEFAULT';

export interface EffectiveConfig extends AnalysisConfigSnapshot {
  id: string | null;
  agentId: string | null;
  appliesTo: ConfigScope;
  createdAt: Date | null;
}

/** The built-in config when an organization has set none: every analysis, no disposition metrics. */
export const DEFAULT_CONFIG: EffectiveConfig = {
  id: null,
  agentId: null,
  appliesTo: 'DEFAULT',
  version: 0,
  summaryPrompt: null,
  dispositionMetrics: [],
  enabledAnalyses: ALL_ANALYSES,
  createdAt: null,
};

/**
 * Seed 002's post-call config, per organization and optionally per agent (an agent's config
 * overrides the organization's). Every change is a new version, numbered per organization, so a
 * result's config_version names exactly the config it used.
 */
export class AnalysisConfigService {
  constructor(private readonly scope: TenantScope) {}

  async set(command: SetAnalysisConfigCommand): Promise<EffectiveConfig> {
    const metrics = validateMetrics(command.dispositionMetrics);
    const enabled = [...new Set(command.enabledAnalyses?.length ? command.enabledAnalyses : ALL_ANALYSES)];
    const summaryPrompt = command.summaryPrompt?.trim() || null;
    if (summaryPrompt && summaryPrompt.length > 4_000) throw badUserInput('summaryPrompt is longer than 4000 characters');
    return this.scope.transaction(async (tx) => {
      if (command.agentId) await requireAgent(tx, command.agentId);
      // Serializes version numbering per organization.
      await tx.query('SELECT 1 FROM organizations WHERE uuid = $1 FOR UPDATE');
      const latest = await tx.db.analysisConfig.aggregate({ _max: { version: true } });
      const row = await tx.db.analysisConfig.create({
        data: {
          organizationId: tx.organizationId,
          agentId: command.agentId ?? null,
          version: (latest._max.version ?? 0) + 1,
          summaryPrompt,
          dispositionMetrics: metrics as unknown as Prisma.InputJsonValue,
          enabledAnalyses: enabled,
        },
      });
      return toEffective(row);
    });
  }

  /** The config that applies to an agent's conversations (or the organization's without an agent). */
  async effective(agentId?: string | null): Promise<EffectiveConfig> {
    if (agentId) {
      await requireAgent(this.scope, agentId);
      const forAgent = await this.scope.db.analysisConfig.findFirst({ where: { agentId }, orderBy: { version: 'desc' } });
      if (forAgent) return toEffective(forAgent);
    }
    const forOrganization = await this.scope.db.analysisConfig.findFirst({ where: { agentId: null }, orderBy: { version: 'desc' } });
    return forOrganization ? toEffective(forOrganization) : DEFAULT_CONFIG;
  }

  /** Every version, newest first. */
  async history(agentId?: string | null) {
    const rows = await this.scope.db.analysisConfig.findMany({ where: agentId === undefined ? {} : { agentId }, orderBy: { version: 'desc' }, take: 100 });
    return rows.map(toEffective);
  }
}

async function requireAgent(scope: TenantScope, agentId: string) {
  const agent = isUuid(agentId) ? await scope.db.agent.findUnique({ where: { organizationId_id: { organizationId: scope.organizationId, id: agentId } } }) : null;
  if (!agent) throw notFound('Agent');
}

function validateMetrics(metrics: SetAnalysisConfigCommand['dispositionMetrics']): DispositionMetricDefinition[] {
  if (metrics.length > 50) throw badUserInput('At most 50 disposition metrics');
  const seen = new Set<string>();
  return metrics.map((metric, index) => {
    const parsed = metricSchema.safeParse(metric);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = ['dispositionMetrics', index, ...issue.path].join('.');
      throw badUserInput(`${field}: ${issue.message}`, { field });
    }
    if (seen.has(parsed.data.identifier)) throw badUserInput(`dispositionMetrics.${index}.identifier: ${parsed.data.identifier} is used twice`);
    seen.add(parsed.data.identifier);
    const { identifier, prompt, type, choices } = parsed.data;
    return type === 'ENUM' ? { identifier, prompt, type, choices: choices! } : { identifier, prompt, type };
  });
}

function toEffective(row: AnalysisConfigRow): EffectiveConfig {
  return {
    id: row.id,
    agentId: row.agentId,
    appliesTo: row.agentId ? 'AGENT' : 'ORGANIZATION',
    version: row.version,
    summaryPrompt: row.summaryPrompt,
    dispositionMetrics: row.dispositionMetrics as unknown as DispositionMetricDefinition[],
    enabledAnalyses: row.enabledAnalyses,
    createdAt: row.createdAt,
  };
}
