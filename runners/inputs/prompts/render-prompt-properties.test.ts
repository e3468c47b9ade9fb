import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../core/errors.ts';
import { renderPrompt, type PromptVariables } from './render-prompt.ts';

const VARIABLES: PromptVariables = {
  scenario: {
    id: 'add-stock-widget',
    title: 'Add a widget',
    description: '',
    tags: ['widget'],
    allowedEditPaths: ['src/user-components/**'],
    deniedEditPaths: ['src/core/**'],
    deniedReadPaths: ['.env*'],
    bashAllowed: false,
    bashAllowedCommands: [],
    questionsAllowed: true,
    webfetchAllowed: false,
    webfetchAllowedHosts: [],
  },
  fixture: { name: 'portfolio-dashboard', description: 'An app' },
};

/** Any template text renders, or is refused with a UserError naming the template file — never a crash. */
describe('prompt template properties', () => {
  const pieces = fc.constantFrom('{{', '}}', '{{#if scenario.bashAllowed}}', '{{/if}}', '{{#each scenario.tags}}', '{{/each}}', '{{scenario.id}}', '{{nope}}', '{{> partial}}', '{{!', '--}}', 'text ', '\n', '{{else}}', '{{{fixture.name}}}', '\\{{');
  const template = fc.oneof(fc.string({ maxLength: 80 }), fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join('')));

  it('renders or names the file', () => {
    fc.assert(
      fc.property(template, (text) => {
        const variant = { prompt: { file: '/prompts/fuzzed/system.hbs', template: text } };
        try {
          expect(typeof renderPrompt(variant, VARIABLES)).toBe('string');
        } catch (error) {
          expect(isUserError(error), String(error)).toBe(true);
          expect((error as Error).message.startsWith('/prompts/fuzzed/system.hbs: template error: ')).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});
