import Handlebars from 'handlebars';
import type { ResolvedFixture, ResolvedScenario } from '../../core/domain/scenario.ts';
import type { ResolvedPromptVariant } from '../../core/domain/target.ts';
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
    },
    fixture: { name: fixture.name, description: fixture.description },
  };
}

/**
 * Renders a prompt variant. Templates are compiled in strict mode, so a misspelt
 * variable is an error naming the template file, not a silently empty string.
 */
export function renderPrompt(variant: ResolvedPromptVariant, variables: PromptVariables): string {
  let template: Handlebars.TemplateDelegate<PromptVariables>;
  try {
    template = Handlebars.compile<PromptVariables>(variant.template, { strict: true, noEscape: true });
    return template(variables).trim() + '\n';
  } catch (error) {
    // Handlebars names the object it looked in as "[object Object]": say nothing rather than that.
    const message = error instanceof Error ? error.message.split('\n').slice(0, 4).join(' ').replace(' in [object Object]', '') : String(error);
    const known = 'scenario.{id,title,description,tags,allowedEditPaths,deniedEditPaths,deniedReadPaths,bashAllowed,bashAllowedCommands,questionsAllowed}, fixture.{name,description}';
    throw new UserError('PROMPT_INVALID', `${variant.templateFile}: template error: ${message}. Variables available: ${known}.`, {
      file: variant.templateFile,
      cause: error,
    });
  }
}
