import type { ScenarioPolicy } from '../../core/domain/scenario.ts';

/** Where a new scenario's counterexample goes until the author names it. */
export const COUNTEREXAMPLE_PLACEHOLDER = 'counterexamples/todo-wrong-solution';

export interface ScenarioTemplateInput {
  id: string;
  fixture: string;
  /** Path of scenarios/scenario.schema.json relative to the scenario folder, for the modeline. */
  schemaPath: string;
  policy: ScenarioPolicy;
  /** The scenario the policy was taken from, if any. */
  policySource: string | undefined;
}

/**
 * A commented scenario.yaml: the schema modeline, every field an author must decide (marked
 * TODO, which `harness validate` warns about until replaced), a placeholder contract, and the
 * defaulted fields as comments saying what they do.
 */
export function renderScenarioTemplate(input: ScenarioTemplateInput): string {
  const { policy } = input;
  const allowed = policy.edit.allow.map(toFolder);
  const denied = policy.edit.deny.map(toFolder);
  const keep = allowed.length === 0 ? '' : `\n      - Keep all changes in ${allowed.map((folder) => `\`${folder}\``).join(', ')}${denied.length === 0 ? '' : `; don't modify ${denied.map((folder) => `\`${folder}\``).join(', ')}`}.`;
  const example = `${allowed[0] ?? 'src/'}TodoWidget.tsx`;
  return `# yaml-language-server: $schema=${input.schemaPath}
# A scenario: a user request replayed through OpenCode in a fresh copy of fixtures/${input.fixture}; the
# hidden tests decide whether the agent did it. Every field is described, with an example, in the
# JSON schema named on line 1 (editors show it). Replace each TODO, then check the scenario with
#   npm run harness -- validate --scenario ${input.id}
id: ${input.id}
title: ${quote('TODO: one line naming the task, e.g. Add a stock watchlist widget')}
description: >-
  TODO: what the user asks and what the scenario tells apart, for the report and for readers.
fixture: ${input.fixture}
# One difficulty tag (difficulty:easy|medium|hard) and at least two skill tags; --filter tag=… selects.
tags: [difficulty:medium, TODO-skill, TODO-skill-2]
# Time for all turns, in ms; the default is 300000.
# timeoutMs: 300000
turns:
  # Sent to the agent as is. State the exact contract the hidden tests check (file paths, export
  # names, ids, formats), except what the scenario is about asking. The first turn must differ from
  # every other scenario's: the scripted model recognises a scenario by it.
  - text: |
      TODO: the request, as a user would write it.

      Details, so that it fits the platform:
      - TODO: the file and export the hidden tests import, e.g. a named export from \`${example}\`.${keep}
# Replies to the agent's clarifying questions. A question is matched on its header and text
# ("<header>\\n<question>"): the first entry whose match (a case-insensitive regular expression) is
# found there answers, and defaultAnswer answers the rest. When the question offers options, the
# answer is sent as the option it equals or names, else as free text. \`harness validate\` asks the
# questions models typically ask and shows which entry answered each.
${renderAnswers(policy)}
defaultAnswer: ${quote(`Please just follow the details in my request${allowed.length === 0 ? '' : ` and keep every change in ${allowed.join(', ')}`}.`)}
# What the agent may do: given to OpenCode as permission rules, checked again after the session.${input.policySource === undefined ? ' TODO: decide it.' : `\n# (Taken from ${input.policySource}, which uses the same fixture.)`}
policy:
  edit:
    allow: ${flow(policy.edit.allow)}
    deny: ${flow(policy.edit.deny)}
  read:
    deny: ${flow(policy.read.deny)}
  bash:
    default: ${policy.bash.default}
    allow: ${flow(policy.bash.allow)}
  webfetch: ${policy.webfetch}
  question: ${policy.question}
# The hidden tests (hidden-tests/) are copied to acceptance/ at the sandbox root after the agent
# finished and run by the fixture's test command, so they import the app as '../src/…'.
# hiddenTests: { dir: hidden-tests, target: acceptance }
# The reference solution (reference/), replayed through OpenCode by the scripted reference profile:
# whole files laid out as in the sandbox, each replacing the file at its path (so a registry file
# is given whole). A question it asks first goes in reference.calls; several turns use
# reference.turns, one folder per turn.
# reference: { dir: reference }
# Wrong solutions (whole files, like the reference) that failed assertions of the hidden tests must
# reject; \`harness validate\` names the test that rejected each.
counterexamples:
  - dir: ${COUNTEREXAMPLE_PLACEHOLDER}
    why: ${quote('TODO: what is wrong with it, e.g. guessed the currency instead of asking')}
`;
}

/** The hidden tests' placeholder: fails until written, and says where it runs from. */
export function renderHiddenTestTemplate(id: string, exampleImport: string): string {
  return `// Hidden acceptance tests of the scenario "${id}", never shown to the agent. After the agent
// finished they are copied to acceptance/ at the sandbox root (hiddenTests.target) and run by the
// fixture's test command, so import the app relative to that folder, e.g.
//   import { TodoWidget } from '${exampleImport}';
// They must fail on the untouched fixture and pass with reference/: \`harness validate\` checks both.
import { describe, expect, it } from 'vitest';

describe('${id}', () => {
  it('TODO: checks the contract the request states', () => {
    expect.fail('TODO: write the hidden tests of ${id}');
  });
});
`;
}

/** The answer every scenario needs: what may not be changed, derived from the denied globs. */
function renderAnswers(policy: ScenarioPolicy): string {
  const denied = policy.edit.deny.map(toFolder).filter((folder) => folder !== '');
  if (denied.length === 0) return "answers: []\n# e.g. - match: 'currenc|country'\n#        answer: Swiss francs (CHF), please.";
  // A question names a folder by its path or its last name ("the core modules", "config files").
  const names = denied.flatMap((folder) => {
    const bare = folder.replace(/\/$/, '');
    return [bare, bare.split('/').at(-1) ?? bare];
  });
  const match = [...new Set(names)].map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).concat('modify', 'allowed to').join('|');
  const allowed = policy.edit.allow.map(toFolder);
  const answer = `Please leave ${denied.join(', ')} untouched.${allowed.length === 0 ? '' : ` Everything new goes in ${allowed.join(', ')}.`}`;
  return `answers:\n  - match: ${quote(match)}\n    answer: ${quote(answer)}`;
}

/** `src/core/**` → `src/core/`, `.env*` → `.env`. */
function toFolder(glob: string): string {
  return glob.replace(/\*.*$/, '');
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function flow(items: readonly string[]): string {
  return `[${items.map(quote).join(', ')}]`;
}
