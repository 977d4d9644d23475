// `agent-sessions rules [--json]`: every rule with its description, where it runs and its
// severity after the repository's config (outside a repository: the defaults).
import type { Command } from '../cli/command.ts';
import { defaultConfig, type Config, type Severity } from '../config.ts';
import { openRepo, type CommonOptions } from '../context.ts';
import { AgentSessionsError } from '../errors.ts';
import type { RunPoint } from '../engine/types.ts';
import { rules as allRules } from '../../rules/index.ts';

export type RulesOptions = CommonOptions;

export interface RuleListing {
  id: string;
  description: string;
  runsAt: readonly RunPoint[];
  defaultSeverity: Severity;
  severity: Severity;
  options: Record<string, unknown>;
}

export interface RulesResult {
  configSource: string;
  rules: RuleListing[];
}

async function configFor(options: RulesOptions): Promise<Config> {
  try {
    return (await openRepo(options)).config;
  } catch (err) {
    // Listing rules is useful outside a repository too; a broken config still fails (exit 2).
    if (err instanceof AgentSessionsError && err.code === 'not-a-repo') return defaultConfig();
    throw err;
  }
}

export async function rules(options: RulesOptions = {}): Promise<RulesResult> {
  const config = await configFor(options);
  const listing = allRules.map((rule): RuleListing => {
    const setting = config.rules[rule.meta.id];
    const severity = setting === undefined ? rule.meta.defaultSeverity : typeof setting === 'string' ? setting : setting[0];
    const ruleOptions = Array.isArray(setting) && setting[1] ? (setting[1] as Record<string, unknown>) : {};
    return { id: rule.meta.id, description: rule.meta.description, runsAt: rule.meta.runsAt, defaultSeverity: rule.meta.defaultSeverity, severity, options: ruleOptions };
  });
  return { configSource: config.source, rules: listing };
}

export const command: Command<RulesOptions, RulesResult> = {
  run: rules,
  text: (r) => {
    const width = Math.max(...r.rules.map((rule) => rule.id.length));
    const lines = r.rules.map((rule) => `${rule.id.padEnd(width)}  ${rule.severity.padEnd(5)}  ${rule.runsAt.join(',').padEnd(44)}  ${rule.description}`);
    return [`${'RULE'.padEnd(width)}  ${'SEV'.padEnd(5)}  ${'RUNS AT'.padEnd(44)}  DESCRIPTION`, ...lines, `(severities from ${r.configSource})`].join('\n');
  },
};
