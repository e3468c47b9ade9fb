import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../runners/core/domain/check-result.ts';
import type { SpecSummary } from '../runners/pipeline/summary/summary-types.ts';
import { makeRepeats, makeSpecSummary, makeTarget } from '../runners/pipeline/summary/test-support.ts';
import { renderJunitReport } from './render-junit.ts';
import { findAll, parseXml, type XmlElement } from '../runners/testing/support/reports/parse-xml.ts';
import { createSummaryFromSpecs } from '../runners/bench/support/summary-from-specs.ts';

/** Markup, CDATA terminators, quotes, control characters, a lone surrogate and a noncharacter. */
export const HOSTILE_TEXT = ']]><script>alert("x")</script> &amp; \'q\' \u0000\u0007\u001b[31m\u000b \uFFFE \uD800 | `code` [x](javascript:alert(1)) <!-- -->\n# h';

function renderXml(specs: SpecSummary[], targetIds = ['scripted-reference', 'scripted-noop']): { xml: string; root: XmlElement } {
  const summary = createSummaryFromSpecs(specs, targetIds.map((id) => makeTarget(id)));
  const [file] = renderJunitReport(summary);
  if (file === undefined) throw new Error('no file');
  expect(file.path).toBe('junit.xml');
  return { xml: file.contents, root: parseXml(file.contents) };
}

function caseNamed(root: XmlElement, name: string, classname: string): XmlElement {
  const found = findAll(root, 'testcase').find((element) => element.attributes.name === name && element.attributes.classname === classname);
  if (found === undefined) throw new Error(`no testcase ${name} ${classname}`);
  return found;
}

/** Replaces the tests evidence of the spec's final attempt with a failure carrying `text`. */
function withTestFailure(spec: SpecSummary, text: string): SpecSummary {
  const attempts = spec.attempts.map((attempt) => ({
    ...attempt,
    checks: attempt.checks.map((check): CheckResult =>
      check.check === 'tests'
        ? { check: 'tests', durationMs: 1, status: 'failed', reason: 'acceptance: 1 of 1 failed', evidence: { exitCode: 1, suites: [
            { suite: 'acceptance', total: 1, passed: 0, failed: 1, skipped: 0, failures: [{ file: `src/${text}.test.ts`, name: text, message: text }] },
          ] } }
        : check,
    ),
  }));
  return { ...spec, attempts };
}

describe('renderJunitReport', () => {
  const specs = [
    ...makeRepeats('add-stock-widget', 'scripted-reference', 'PFPFT', { failedChecks: ['tests'] }),
    ...makeRepeats('format-currency', 'scripted-reference', 'PIP'),
    ...makeRepeats('add-stock-widget', 'scripted-noop', 'II', { infraMessage: 'connect ECONNREFUSED 127.0.0.1:8123' }),
    ...makeRepeats('format-currency', 'scripted-noop', '--'),
  ];
  const { root } = renderXml(specs);

  it('writes one suite per target and one case per scenario × prompt variant, repeats folded in', () => {
    expect(root.name).toBe('testsuites');
    expect(findAll(root, 'testsuite').map((suite) => suite.attributes.name)).toEqual(['scripted-reference', 'scripted-noop']);
    expect(findAll(root, 'testcase')).toHaveLength(4);
  });

  it('fails a case when any model-attributable repeat failed or timed out, naming counts and checks', () => {
    const failure = findAll(caseNamed(root, 'add-stock-widget', 'scripted-reference.default'), 'failure')[0];
    expect(failure?.attributes.message).toBe('2/5 passed; failed checks: tests×2; timed out×1');
    expect(failure?.attributes.type).toBe('failed');
    expect(failure?.text).toContain('repeat 1, attempt 1');
    expect(failure?.text).toContain('tests: tests failed');
  });

  it('passes a case whose non-passing repeats are only infra errors', () => {
    const passed = caseNamed(root, 'format-currency', 'scripted-reference.default');
    expect(findAll(passed, 'failure')).toHaveLength(0);
    expect(findAll(passed, 'skipped')).toHaveLength(0);
    expect(findAll(passed, 'system-out')[0]?.text).toContain('repeat 1: infra error (endpoint: connect ECONNREFUSED');
  });

  it('skips an infra-only case with the infra message and never fails it', () => {
    const infra = caseNamed(root, 'add-stock-widget', 'scripted-noop.default');
    expect(findAll(infra, 'failure')).toHaveLength(0);
    expect(findAll(infra, 'skipped')[0]?.attributes.message).toBe(
      "infra error (not the model's failure), 2 of 2 repeat(s): endpoint: connect ECONNREFUSED 127.0.0.1:8123",
    );
    const pending = caseNamed(root, 'format-currency', 'scripted-noop.default');
    expect(findAll(pending, 'skipped')[0]?.attributes.message).toBe('pending: no attempt of 2 repeat(s) finished');
  });

  it('keeps totals consistent between the cases, the suites and the root', () => {
    const suites = findAll(root, 'testsuite');
    const sum = (name: string) => suites.reduce((total, suite) => total + Number(suite.attributes[name]), 0);
    expect([root.attributes.tests, root.attributes.failures, root.attributes.skipped, root.attributes.errors]).toEqual(['4', '1', '2', '0']);
    expect([sum('tests'), sum('failures'), sum('skipped')]).toEqual([4, 1, 2]);
    for (const suite of suites) {
      const cases = findAll(suite, 'testcase');
      expect(Number(suite.attributes.tests)).toBe(cases.length);
      expect(Number(suite.attributes.failures)).toBe(cases.filter((element) => findAll(element, 'failure').length > 0).length);
      expect(Number(suite.attributes.skipped)).toBe(cases.filter((element) => findAll(element, 'skipped').length > 0).length);
    }
  });

  it('quotes the first finding of a failed check once, not again when the reason already holds it', () => {
    const quoted = withTestFailure(makeSpecSummary({ scenarioId: 's', targetId: 'scripted-reference', repeatIndex: 0, outcome: 'F', failedChecks: ['tests'] }), 'expected 2 to be 3');
    const failure = findAll(renderXml([quoted], ['scripted-reference']).root, 'failure')[0];
    expect(failure?.text).toContain('tests: acceptance: 1 of 1 failed — src/expected 2 to be 3.test.ts › expected 2 to be 3: expected 2 to be 3');
    const attempts = quoted.attempts.map((attempt) => ({
      ...attempt,
      checks: attempt.checks.map((check): CheckResult => (check.check === 'tests' && check.status === 'failed' ? { ...check, reason: 'acceptance: expected 2 to be 3' } : check)),
    }));
    const again = findAll(renderXml([{ ...quoted, attempts }], ['scripted-reference']).root, 'failure')[0];
    expect(again?.text.split('\n')[1]).toBe('tests: acceptance: expected 2 to be 3');
  });

  it('fails a case whose only non-pass is a timeout, typed timed-out', () => {
    const { root: timedOut } = renderXml(makeRepeats('s', 'scripted-reference', 'PT'), ['scripted-reference']);
    const failure = findAll(timedOut, 'failure')[0];
    expect(failure?.attributes).toMatchObject({ message: '1/2 passed; timed out×1', type: 'timed-out' });
    expect(failure?.text).toContain('timed out after 1 s');
  });
});

describe('renderJunitReport with hostile text', () => {
  const hostile = withTestFailure(makeSpecSummary({ scenarioId: 's1', targetId: 't', repeatIndex: 0, outcome: 'F', failedChecks: ['tests'] }), HOSTILE_TEXT);
  const infra = makeSpecSummary({ scenarioId: 's2', targetId: 't', repeatIndex: 0, outcome: 'I', infraMessage: HOSTILE_TEXT });
  const named = makeSpecSummary({ scenarioId: `evil"<scenario>&]]>`, targetId: 't', repeatIndex: 0, outcome: 'P' });

  it('stays well-formed XML and round-trips the text, with illegal characters made visible', () => {
    const { xml, root } = renderXml([hostile, infra, named], ['t']);
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain(']]>');
    // eslint-disable-next-line no-control-regex -- asserting that no control character got through
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE]/);
    const failure = findAll(root, 'failure')[0];
    expect(failure?.text).toContain('<script>alert("x")</script> &amp; \'q\' \\u0000\\u0007\\u001b[31m\\u000b \\ufffe \\ud800 | `code`');
    expect(failure?.text).toContain(']]>');
    expect(failure?.text).toContain('tests: acceptance: 1 of 1 failed — src/]]><script>alert("x")</script>');
    const skipped = findAll(root, 'skipped')[0];
    expect(skipped?.attributes.message).toContain('endpoint: ]]><script>alert("x")</script>');
    expect(skipped?.attributes.message).toContain('\n# h');
    expect(findAll(root, 'testcase').map((element) => element.attributes.name)).toContain(`evil"<scenario>&]]>`);
  });

  it('a naive renderer would not be well-formed (the parser used here does catch it)', () => {
    expect(() => parseXml(`<a b="${HOSTILE_TEXT}"/>`)).toThrow();
    expect(() => parseXml('<a>\u0007</a>')).toThrow();
  });
});
