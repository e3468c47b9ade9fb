import { describe, expect, it } from 'vitest';
import { answerQuestions, type QuestionAsked } from '../../attempt/opencode/answer-questions.ts';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { ScenarioPolicy, ScriptedAnswer } from '../../core/domain/scenario.ts';
import { formatProbeQuestions, planProbeTopics } from '../../endpoints/scripted-model/profiles/probe-questions.ts';
import { describeAnswers, judgeAnswers, warnAboutAnswers } from './judge-answers.ts';

const POLICY: ScenarioPolicy = { edit: { allow: ['src/**'], deny: [] }, read: { deny: [] }, bash: { default: 'deny', allow: [] }, webfetch: 'deny', question: 'allow' };
const ANSWERS: ScriptedAnswer[] = [
  { match: 'currenc', answer: 'Swiss francs (CHF), please.' },
  { match: 'where|location', answer: 'Put it in src/user-components/.' },
  { match: 'refresh|reload', answer: 'A Refresh button below the table.' },
];
const scenario = { answers: ANSWERS, policy: POLICY, defaultAnswer: 'Use your judgement.' };

/** A probe attempt whose questions were answered by the harness's own answerQuestions, as in a session. */
function probeAttempt(asked: QuestionAsked[][], outcome: AttemptRecord['outcome'] = { kind: 'passed' }): AttemptRecord {
  return {
    specId: 's',
    attemptId: 's-a1',
    attemptNumber: 1,
    outcome,
    checks: [],
    transcript: asked.map((questions) => {
      const { answers, matchedBy } = answerQuestions(scenario, questions);
      return { type: 'question', questions: questions.map((question) => ({ question: question.question, ...(question.header === '' ? {} : { header: question.header }), options: question.options.map((option) => option.label) })), answers, matchedBy, atMs: 1 };
    }),
    diff: '',
    changedFiles: [],
    tokens: { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
    costUsd: 0,
    timings: { sandboxMs: 0, agentMs: 0, checksMs: 0, totalMs: 0, checkMs: {} },
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:00:01.000Z',
  };
}

const TURN = 'Show my net worth in the currency of the country I live in now. Put it in `src/user-components/NetWorth.tsx`.';
const topics = planProbeTopics(TURN, 0);
const FORMS = (['free-text', 'options', 'header'] as const).map((form) => formatProbeQuestions(topics, form));

describe('judgeAnswers', () => {
  it('reports, per question and form, which scripted answer or defaultAnswer replied, and the option sent', () => {
    const report = judgeAnswers(scenario, probeAttempt(FORMS), true);
    if (report.status !== 'checked') throw new Error(report.status);
    const currency = report.questions.filter((question) => question.question.includes('currency'));
    expect(currency.map((question) => [question.askedAs, question.answeredBy, question.reply])).toEqual([
      ['free-text', { kind: 'scripted', index: 0, match: 'currenc' }, { kind: 'free-text', text: 'Swiss francs (CHF), please.' }],
      ['options', { kind: 'scripted', index: 0, match: 'currenc' }, { kind: 'option', label: 'CHF' }],
      ['header', { kind: 'scripted', index: 0, match: 'currenc' }, { kind: 'option', label: 'CHF' }],
    ]);
    const location = report.questions.find((question) => question.askedAs === 'options' && question.question.startsWith('Where'));
    expect(location).toMatchObject({ options: ['src/user-components/NetWorth.tsx'], answeredBy: { kind: 'scripted', index: 1 }, reply: { kind: 'free-text' } });
    expect(report.questions.some((question) => question.answeredBy.kind === 'default')).toBe(true);
    expect(report.unreached).toEqual([{ index: 2, match: 'refresh|reload' }]);
    expect(warnAboutAnswers(report, ANSWERS.length)).toEqual([]);
    const lines = describeAnswers(report);
    expect(lines[0]).toMatch(/^answers: \d+ question\(s\) asked through OpenCode — \d+ answered by `answers`, \d+ by defaultAnswer$/);
    expect(lines).toContain('  "Which currency should amounts be shown in?" — free-text: answers[0]; options: answers[0] → option "CHF"; with header [Currency]: answers[0] → option "CHF"');
    expect(lines.at(-1)).toBe('  not reached by any question above: answers[2] /refresh|reload/');
  });

  it('a header can decide the answer: matched on "<header>\\n<question>"', () => {
    const asked: QuestionAsked = { question: 'Which one should I use?', header: 'Currency', options: [{ label: 'CHF' }, { label: 'EUR' }] };
    const report = judgeAnswers(scenario, probeAttempt([[asked], [{ ...asked, header: '' }]]), true);
    if (report.status !== 'checked') throw new Error(report.status);
    expect(report.questions.map((question) => [question.askedAs, question.answeredBy.kind])).toEqual([
      ['reference', 'scripted'],
      ['reference', 'default'],
    ]);
  });

  it('warns when only defaultAnswer ever answers', () => {
    const unmatched = { ...scenario, answers: [{ match: 'zzz', answer: 'never' }] };
    const report = judgeAnswers(unmatched, probeAttempt([[{ question: 'Which data source should the new code use?', header: '', options: [] }]]), true);
    expect(warnAboutAnswers(report, 1)).toEqual([expect.stringMatching(/^answers: only defaultAnswer answered the 1 questions the probe asked — no entry of `answers` matched any of them/)]);
    expect(warnAboutAnswers(judgeAnswers({ ...scenario, answers: [] }, probeAttempt([[{ question: 'Where?', header: '', options: [] }]]), true), 0)).toEqual([expect.stringMatching(/the scenario has no `answers`/)]);
    expect(warnAboutAnswers(judgeAnswers(scenario, probeAttempt([]), true), 3)).toEqual([expect.stringMatching(/the probe asked no question/)]);
  });

  it('says why the answers were not checked', () => {
    expect(judgeAnswers({ ...scenario, policy: { ...POLICY, question: 'deny' } }, probeAttempt(FORMS), true)).toEqual({ status: 'questions-denied' });
    expect(judgeAnswers(scenario, undefined, false)).toMatchObject({ status: 'not-checked', reason: expect.stringMatching(/--static-only/) });
    expect(judgeAnswers(scenario, probeAttempt(FORMS, { kind: 'infra-error', source: 'opencode', message: 'crashed' }), true)).toMatchObject({ status: 'not-checked', reason: expect.stringMatching(/infra error \[opencode\]/) });
  });
});
