import type { ResolvedScenario } from '../../core/domain/scenario.ts';

export interface QuestionAsked {
  question: string;
  header?: string | undefined;
  options: Array<{ label: string }>;
}

export interface QuestionAnswers {
  answers: string[][];
  /** The scripted answer's `match` pattern that answered each question, or `default`. */
  matchedBy: string[];
}

/**
 * Answers clarifying questions from the scenario script: the first scripted answer whose
 * pattern matches the question (or its header) wins; the answer is given as the option
 * whose label it names when there is one, else as free text.
 */
export function answerQuestions(scenario: Pick<ResolvedScenario, 'answers' | 'defaultAnswer'>, questions: readonly QuestionAsked[]): QuestionAnswers {
  const answers: string[][] = [];
  const matchedBy: string[] = [];
  for (const asked of questions) {
    const text = `${asked.header ?? ''}\n${asked.question}`;
    const scripted = scenario.answers.find((candidate) => new RegExp(candidate.match, 'i').test(text));
    const answer = scripted?.answer ?? scenario.defaultAnswer;
    matchedBy.push(scripted?.match ?? 'default');
    answers.push([pickOption(answer, asked.options) ?? answer]);
  }
  return { answers, matchedBy };
}

function pickOption(answer: string, options: ReadonlyArray<{ label: string }>): string | undefined {
  const wanted = answer.trim().toLowerCase();
  const exact = options.find((option) => option.label.trim().toLowerCase() === wanted);
  if (exact !== undefined) return exact.label;
  return options.find((option) => wanted.includes(option.label.trim().toLowerCase()) && option.label.trim().length >= 3)?.label;
}
