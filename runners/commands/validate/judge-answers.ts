import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import { PROBE_QUESTION_TEXTS, readProbeForm, type ProbeForm } from '../../endpoints/scripted-model/profiles/probe-questions.ts';

/** One question the agent asked through OpenCode's question tool, and what the harness replied. */
export interface AnsweredQuestion {
  question: string;
  header: string | undefined;
  options: string[];
  /** The probe's form of the question, or `reference` for a question the reference declares. */
  askedAs: ProbeForm | 'reference';
  answeredBy: { kind: 'scripted'; index: number; match: string } | { kind: 'default' };
  /** Sent as one of the offered options, or as free text. */
  reply: { kind: 'option'; label: string } | { kind: 'free-text'; text: string };
}

export type AnswersReport =
  | { status: 'checked'; questions: AnsweredQuestion[]; unreached: Array<{ index: number; match: string }> }
  /** Questions are denied by the policy: the agent cannot ask, so no answer is ever used. */
  | { status: 'questions-denied' }
  /** The probe did not run (`--static-only`, or the static pre-check failed) or ended without a usable session. */
  | { status: 'not-checked'; reason: string };

/** Reads the probe attempt's questions and which scripted answer (or defaultAnswer) replied to each. */
export function judgeAnswers(scenario: Pick<ResolvedScenario, 'answers' | 'policy'>, probe: AttemptRecord | undefined, ranAgents: boolean): AnswersReport {
  if (scenario.policy.question === 'deny') return { status: 'questions-denied' };
  if (!ranAgents) return { status: 'not-checked', reason: 'no agent run (--static-only, or the static pre-check failed)' };
  if (probe === undefined) return { status: 'not-checked', reason: 'no probe attempt was recorded' };
  if (probe.outcome.kind === 'infra-error') return { status: 'not-checked', reason: `the probe attempt ended in an infra error [${probe.outcome.source}]` };
  const questions: AnsweredQuestion[] = [];
  for (const entry of probe.transcript) {
    if (entry.type !== 'question') continue;
    entry.questions.forEach((asked, position) => {
      const reply = entry.answers[position]?.[0] ?? '';
      const match = entry.matchedBy[position] ?? 'default';
      const index = scenario.answers.findIndex((answer) => answer.match === match);
      questions.push({
        question: asked.question,
        header: asked.header,
        options: asked.options,
        askedAs: PROBE_QUESTION_TEXTS.has(asked.question) ? readProbeForm(asked) : 'reference',
        answeredBy: match === 'default' || index < 0 ? { kind: 'default' } : { kind: 'scripted', index, match },
        reply: asked.options.includes(reply) ? { kind: 'option', label: reply } : { kind: 'free-text', text: reply },
      });
    });
  }
  const reached = new Set(questions.flatMap((question) => (question.answeredBy.kind === 'scripted' ? [question.answeredBy.index] : [])));
  const unreached = scenario.answers.flatMap((answer, index) => (reached.has(index) ? [] : [{ index, match: answer.match }]));
  return { status: 'checked', questions, unreached };
}

/** Warnings about the answers: none answer anything, or they can never be used. */
export function warnAboutAnswers(report: AnswersReport, answerCount: number): string[] {
  switch (report.status) {
    case 'questions-denied': // checkAnswersUsable (scenario-rules.ts) says so, with or without an agent run.
    case 'not-checked':
      return [];
    case 'checked': {
      if (report.questions.length === 0) return ['answers: the probe asked no question (the question tool was not offered), so the answers are unchecked'];
      if (report.questions.every((question) => question.answeredBy.kind === 'default')) {
        const why = answerCount === 0 ? 'the scenario has no `answers`' : `no entry of \`answers\` matched any of them; each \`match\` is searched in "<header>\\n<question>"`;
        return [`answers: only defaultAnswer answered the ${report.questions.length} questions the probe asked — ${why}`];
      }
      return [];
    }
  }
}

/** Lines for the terminal: one per probe question (its forms side by side), then the reference's, then unreached answers. */
export function describeAnswers(report: AnswersReport): string[] {
  switch (report.status) {
    case 'questions-denied':
      return ['answers: not probed — policy.question is deny'];
    case 'not-checked':
      return [`answers: not checked — ${report.reason}`];
    case 'checked':
      break;
  }
  const scripted = report.questions.filter((question) => question.answeredBy.kind === 'scripted').length;
  const lines = [`answers: ${report.questions.length} question(s) asked through OpenCode — ${scripted} answered by \`answers\`, ${report.questions.length - scripted} by defaultAnswer`];
  const byText = new Map<string, AnsweredQuestion[]>();
  for (const question of report.questions) byText.set(question.question, [...(byText.get(question.question) ?? []), question]);
  for (const [text, forms] of byText) lines.push(`  "${shorten(text, 90)}" — ${forms.map(describeForm).join('; ')}`);
  if (report.unreached.length > 0) lines.push(`  not reached by any question above: ${report.unreached.map((answer) => `answers[${answer.index}] /${shorten(answer.match, 40)}/`).join(', ')}`);
  return lines;
}

function describeForm(question: AnsweredQuestion): string {
  const askedAs = question.askedAs === 'reference' ? `asked by the reference${question.header === undefined ? '' : ` [${question.header}]`}` : question.askedAs === 'header' ? `with header [${question.header ?? ''}]` : question.askedAs;
  const by = question.answeredBy.kind === 'scripted' ? `answers[${question.answeredBy.index}]` : 'defaultAnswer';
  const reply = question.options.length === 0 ? '' : question.reply.kind === 'option' ? ` → option "${question.reply.label}"` : ' → free text (names no option)';
  return `${askedAs}: ${by}${reply}`;
}

function shorten(text: string, length: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > length ? `${line.slice(0, length)}…` : line;
}
