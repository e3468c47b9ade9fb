import Handlebars from 'handlebars';
import type { ResolvedFixture, ResolvedScenario } from '../../core/domain/scenario.ts';
import type { VariantTemplate } from '../../core/domain/variant.ts';
import { UserError } from '../../core/errors.ts';

/** The variables a prompt template can use. */
export interface PromptVariables {
  scenario: {
    id: string;
    title: string;
    description: string;
    tags: string[];
    allowedEditPaths: string[];
    deniedEditPaths: string[];
    deniedReadPaths: string[];
    bashAllowed: boolean;
    bashAllowedCommands: string[];
    questionsAllowed: boolean;
    /** Hosts the agent may fetch from (the webfetch allow-list); empty when webfetch is allowed or denied outright. */
    webfetchAllowedHosts: string[];
    webfetchAllowed: boolean;
  };
  fixture: { name: string; description: string };
}

export function buildPromptVariables(scenario: ResolvedScenario, fixture: ResolvedFixture): PromptVariables {
  const { policy } = scenario;
  return {
    scenario: {
      id: scenario.id,
      title: scenario.title,
      description: scenario.description,
      tags: scenario.tags,
      allowedEditPaths: policy.edit.allow,
      deniedEditPaths: policy.edit.deny,
      deniedReadPaths: policy.read.deny,
      bashAllowed: policy.bash.default === 'allow' || policy.bash.allow.length > 0,
      bashAllowedCommands: policy.bash.allow,
      questionsAllowed: policy.question === 'allow',
      webfetchAllowedHosts: typeof policy.webfetch === 'object' ? policy.webfetch.allow : [],
      webfetchAllowed: policy.webfetch !== 'deny',
    },
    fixture: { name: fixture.name, description: fixture.description },
  };
}

const KNOWN_VARIABLES =
  'scenario.{id,title,description,tags,allowedEditPaths,deniedEditPaths,deniedReadPaths,bashAllowed,bashAllowedCommands,questionsAllowed,webfetchAllowed,webfetchAllowedHosts}, fixture.{name,description}';

/**
 * Renders one of a variant's templates (system.hbs, agent.md's body, AGENTS.md). Templates are
 * compiled in strict mode, so a misspelt variable is an error naming the file, not a silently
 * empty string.
 */
export function renderTemplate(template: VariantTemplate, variables: PromptVariables): string {
  try {
    const render = Handlebars.compile<PromptVariables>(template.template, { strict: true, noEscape: true });
    return render(variables).trim() + '\n';
  } catch (error) {
    // Handlebars names the object it looked in as "[object Object]": say nothing rather than that.
    const message = error instanceof Error ? error.message.split('\n').slice(0, 4).join(' ').replace(' in [object Object]', '') : String(error);
    throw new UserError('PROMPT_INVALID', `${template.file}: template error: ${message}. Variables available: ${KNOWN_VARIABLES}.`, {
      file: template.file,
      cause: error,
    });
  }
}

/** The variant agent's prompt; undefined keeps OpenCode's own prompt for the model. */
export function renderPrompt(variant: { prompt?: VariantTemplate | undefined }, variables: PromptVariables): string | undefined {
  return variant.prompt === undefined ? undefined : renderTemplate(variant.prompt, variables);
}

/** The variant's AGENTS.md for one scenario; undefined when the variant has none. */
export function renderInstructions(variant: { instructions?: VariantTemplate | undefined }, variables: PromptVariables): string | undefined {
  return variant.instructions === undefined ? undefined : renderTemplate(variant.instructions, variables);
}
