import { createSummaryFromSpecs } from '../../../bench/support/summary-from-specs.ts';
import type { AttemptRecord } from '../../../core/domain/attempt.ts';
import type { TranscriptEntry } from '../../../core/domain/transcript.ts';
import type { RunSummary } from '../../../pipeline/summary/summary-types.ts';
import { makeFailingChecks } from './sample-checks.ts';
import { createSampleRun } from './sample-summary.ts';

/**
 * Markup and template syntax a model could emit, aimed at every way out of an escaped context.
 * Each one, if it ever ran, would set `window.__pwned` or open a dialog; some would load a file.
 */
export const HOSTILE_PAYLOADS = [
  '<script>window.__pwned=1;alert(1)</script>',
  '<img src=x onerror="window.__pwned=2;alert(2)">',
  '</script><script>window.__pwned=3;alert(3)</script>',
  '"><svg onload=window.__pwned=4;alert(4)>',
  "'><iframe srcdoc=\"<script>parent.__pwned=5</script>\"></iframe>",
  '</style><script>window.__pwned=6</script>',
  '</pre></details><b onmouseover=window.__pwned=7>x</b>',
  '<!--<a href="javascript:window.__pwned=8">x</a>-->',
  '<details open ontoggle=window.__pwned=9;alert(9)>',
  '<a href="javascript:window.__pwned=10">click me</a>',
  '<link rel=stylesheet href=https://evil.example/x.css><base href=https://evil.example/>',
  '<meta http-equiv=refresh content="0;url=https://evil.example/">',
  '</textarea></title><script>window.__pwned=11</script>',
  '\u2028\u2029</script><!--',
  '{{constructor.constructor "alert(8)"}}',
  '{{{lookup this "constructor"}}}',
] as const;

/** Template syntax that must come out as text, never evaluated. */
export const TEMPLATE_PAYLOAD = '{{constructor}}';

const EVIL = [...HOSTILE_PAYLOADS, TEMPLATE_PAYLOAD].join(' ');

/** The sample run with model-produced (and some configured) text replaced by hostile payloads, summarized by `summarizeRun`. */
export function createHostileSummary(): RunSummary {
  const { specs, targets, facts } = createSampleRun({ scriptedModel: true });
  const [firstScenario, ...otherScenarios] = facts.scenarios ?? [];
  const hostileSpecs = specs.map(({ spec, attempts }, index) => {
    const id = `${EVIL}-${index}`;
    return { spec: { ...spec, id }, attempts: attempts.map((attempt, position) => poisonAttempt({ ...attempt, specId: id, attemptId: `${EVIL}-${index}-${position}` })) };
  });
  return createSummaryFromSpecs(
    hostileSpecs,
    targets.map((target) => ({ ...target, model: EVIL, quantization: EVIL })),
    {
      ...facts,
      runId: EVIL,
      configFile: EVIL,
      opencodeVersion: EVIL,
      scenarios: firstScenario === undefined ? [] : [{ ...firstScenario, title: EVIL, tags: [EVIL], turns: [EVIL] }, ...otherScenarios],
      promptVariants: (facts.promptVariants ?? []).map((variant) => ({ ...variant, description: EVIL })),
      renderedPrompts: { ...facts.renderedPrompts, [EVIL]: EVIL },
    },
  );
}

function poisonAttempt(attempt: AttemptRecord): AttemptRecord {
  const outcome = attempt.outcome.kind === 'infra-error' ? { ...attempt.outcome, message: EVIL } : attempt.outcome;
  const checks = attempt.outcome.kind === 'failed' ? poisonChecks() : attempt.checks;
  return { ...attempt, outcome, checks, transcript: makeHostileTranscript(), diff: makeHostileDiff(), changedFiles: [EVIL] };
}

function poisonChecks(): AttemptRecord['checks'] {
  return makeFailingChecks().map((check) => {
    switch (check.check) {
      case 'typecheck':
        return check.status === 'failed'
          ? { ...check, reason: EVIL, evidence: { ...check.evidence, diagnostics: [{ file: EVIL, line: 1, column: 1, code: EVIL, message: EVIL }] } }
          : check;
      case 'permissions':
        return check.status === 'failed'
          ? { ...check, evidence: { changedFiles: [EVIL], violations: [{ kind: 'sandbox-escape', path: EVIL, tool: EVIL, callId: EVIL, effective: true, detail: EVIL }] } }
          : check;
      case 'agent-health':
        return check.status === 'passed'
          ? { ...check, evidence: { ...check.evidence, textToolCalls: [{ excerpt: EVIL, pattern: EVIL }], sessionErrors: [{ name: EVIL, message: EVIL }] } }
          : check;
      case 'lint':
        return check.status === 'errored' ? { ...check, error: EVIL } : check;
      case 'tests':
        return check.status === 'failed'
          ? { ...check, reason: EVIL, evidence: { ...check.evidence, suites: check.evidence.suites.map((suite) => ({ ...suite, failures: suite.failures.map(() => ({ file: EVIL, name: EVIL, message: EVIL })) })) } }
          : check;
    }
  });
}

function makeHostileTranscript(): TranscriptEntry[] {
  return [
    { type: 'user', turnIndex: 0, text: EVIL, atMs: 0 },
    { type: 'assistant-text', text: EVIL, atMs: 10 },
    { type: 'reasoning', text: EVIL, atMs: 20 },
    { type: 'tool', tool: EVIL, callId: EVIL, status: 'error', input: { filePath: EVIL, content: EVIL }, output: EVIL, error: `${EVIL}\n${EVIL}`, atMs: 30 },
    { type: 'question', questions: [{ question: EVIL, options: [EVIL] }], answers: [[EVIL]], matchedBy: [EVIL], atMs: 40 },
    { type: 'permission', permission: EVIL, patterns: [EVIL], decision: 'reject', reason: EVIL, atMs: 50 },
    { type: 'retry', attempt: 1, message: EVIL, atMs: 60 },
    { type: 'session-error', name: EVIL, message: EVIL, atMs: 70 },
  ];
}

function makeHostileDiff(): string {
  const file = 'src/<img src=x onerror="window.__pwned=12">.ts';
  return [
    `diff --git a/${file} b/${file}`,
    `--- a/${file}`,
    `+++ b/${file}`,
    '@@ -1,1 +1,2 @@',
    `-${HOSTILE_PAYLOADS[0]}`,
    `+${HOSTILE_PAYLOADS[2]}`,
    `+${TEMPLATE_PAYLOAD}`,
    '',
  ].join('\n');
}
