import type { CheckConfinement } from '../../attempt/checks/run-check-command.ts';
import type { AgentCatalog } from '../../attempt/opencode/agents.ts';
import type { AgentSpec } from '../../attempt/opencode/opencode-config.ts';
import { providerIdOf } from '../../attempt/opencode/opencode-config.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import type { Redactor } from '../../core/redact.ts';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import type { ResolvedTarget } from '../../core/domain/target.ts';
import type { LoadedFixture } from '../../inputs/fixtures/load-fixture.ts';
import { renderedInstructionsOf, required, type PreparedRun } from '../plan/prepare-run.ts';
import type { EndpointServices, SessionHooks } from './endpoint-services.ts';

/** How attempts run: the same for every attempt of a run. */
export interface AttemptSettings {
  /** Overrides every scenario's timeout. */
  attemptTimeoutMs?: number | undefined;
  checkTimeoutMs: number;
  endpointRetryLimit: number;
  /** The agent's step limit per user turn; a turn that goes past it is stopped (the model's fault). */
  maxStepsPerTurn?: number | undefined;
  /** Each attempt gets its own sandbox folder, left on disk (for debugging). */
  keepSandboxes: boolean;
}

/** What every attempt of a run shares, built once when execution starts. */
export interface RunEnvironment {
  prepared: PreparedRun;
  settings: AttemptSettings;
  /** The environment of git and the checks: no host secrets. */
  toolEnv: Record<string, string>;
  /** How the checks' subprocesses are confined (the run's isolation). */
  checkConfinement: CheckConfinement;
  endpoints: EndpointServices;
  agents: AgentCatalog;
  /** Every known secret value → `[redacted NAME]`, applied to each attempt's record. */
  redactor: Redactor;
  /** The run's folder: each attempt's change is published there (changes.git, patches/). */
  runDir: string;
}

/** One attempt of one spec: the only per-attempt value execution passes around. */
export interface AttemptTicket {
  spec: RunSpec;
  attemptNumber: number;
  attemptId: string;
}

export function ticketFor(spec: RunSpec, attemptNumber: number): AttemptTicket {
  return { spec, attemptNumber, attemptId: `${spec.id}-a${attemptNumber}` };
}

/** A ticket with everything its spec names looked up: the one place specs are resolved. */
export interface ResolvedAttempt extends AttemptTicket {
  scenario: ResolvedScenario;
  fixture: LoadedFixture;
  target: ResolvedTarget;
  agent: AgentSpec;
  /** The server profile (OpenCode config) the attempt needs. */
  profileKey: string;
  /** The variant's AGENTS.md rendered for the scenario, written as the server's instructions before the session. */
  instructions: string | undefined;
  /** The hard limit of model calls per turn. */
  maxStepsPerTurn: number | undefined;
  providerId: string;
  /** Where the target is really served, probed before the agent starts (its first replica's). */
  endpointBaseURL: string;
  /** Every replica's upstream, for a replicated target: the attempt can run while any answers. */
  endpointBaseURLs?: string[] | undefined;
  timeoutMs: number;
  /** Recording and replay bind to the session through these. */
  hooks: SessionHooks;
}

export function resolveAttempt(environment: RunEnvironment, ticket: AttemptTicket): ResolvedAttempt {
  const { prepared } = environment;
  const scenario = required(prepared.scenarios, ticket.spec.scenarioId);
  const target = required(prepared.targets, ticket.spec.targetId);
  const assignment = environment.agents.assignmentFor(ticket.spec.id);
  return {
    ...ticket,
    scenario,
    fixture: required(prepared.fixtures, scenario.fixture),
    target,
    agent: assignment.agent,
    profileKey: assignment.profile.key,
    instructions: renderedInstructionsOf(prepared, ticket.spec),
    maxStepsPerTurn: assignment.maxStepsPerTurn,
    providerId: providerIdOf(target),
    endpointBaseURL: environment.endpoints.upstreamURLOf(target),
    endpointBaseURLs: environment.endpoints.upstreamURLsOf?.(target),
    timeoutMs: environment.settings.attemptTimeoutMs ?? scenario.timeoutMs,
    hooks: environment.endpoints.hooksFor(target, ticket),
  };
}
