import { describe, expect, it } from 'vitest';
import { answerQuestions } from './answer-questions.ts';

const scenario = {
  answers: [
    { match: 'source|provider', answer: 'Core quotes client' },
    { match: 'symbol', answer: 'AAPL, MSFT and NVDA' },
  ],
  defaultAnswer: 'Use your best judgement.',
};

describe('answerQuestions', () => {
  it('answers with the matching option label', () => {
    const result = answerQuestions(scenario, [
      { question: 'Which data source should the widget use?', options: [{ label: 'External API' }, { label: 'Core quotes client' }] },
    ]);
    expect(result).toEqual({ answers: [['Core quotes client']], matchedBy: ['source|provider'] });
  });

  it('answers with free text when no option names the answer', () => {
    const result = answerQuestions(scenario, [{ question: 'Which symbols go on the watchlist?', options: [{ label: 'Top 10' }] }]);
    expect(result.answers).toEqual([['AAPL, MSFT and NVDA']]);
  });

  it('falls back to the default answer, and says so', () => {
    const result = answerQuestions(scenario, [{ question: 'Dark or light theme?', options: [] }]);
    expect(result).toEqual({ answers: [['Use your best judgement.']], matchedBy: ['default'] });
  });

  it('matches on the header too, case-insensitively', () => {
    const result = answerQuestions(scenario, [{ question: 'Pick one', header: 'Data SOURCE', options: [] }]);
    expect(result.matchedBy).toEqual(['source|provider']);
  });
});
