// @ts-check
/* Any two rendered prompts side by side, with a line diff (the `diff` package) between them. */
/* global HTMLElement, HTMLSelectElement */
/** @import { ReportDataHead } from '../model/report-data-types.ts' */
import { diffLines } from 'diff';
import { byId, clear, el, option } from './dom.js';

/** @param {ReportDataHead['prompts']} prompts */
export const createPromptCompare = (prompts) => {
  const left = byId('compare-left', HTMLSelectElement);
  const right = byId('compare-right', HTMLSelectElement);
  const output = byId('compare-output', HTMLElement);
  const container = byId('prompt-compare', HTMLElement);
  if (prompts.length < 2) {
    container.hidden = true;
    return;
  }
  prompts.forEach((prompt, index) => {
    left.append(option(String(index), prompt.key, index === 0));
    right.append(option(String(index), prompt.key, index === 1));
  });

  /** @param {string} value */
  const linesOf = (value) => value.replace(/\n$/, '').split('\n');
  /** @param {string} text */
  const withNewline = (text) => (text.endsWith('\n') ? text : `${text}\n`);
  const render = () => {
    const a = prompts[Number(left.value)];
    const b = prompts[Number(right.value)];
    if (a === undefined || b === undefined) return;
    const changes = diffLines(withNewline(a.text), withNewline(b.text));
    const added = changes.filter((change) => change.added).reduce((sum, change) => sum + linesOf(change.value).length, 0);
    const removed = changes.filter((change) => change.removed).reduce((sum, change) => sum + linesOf(change.value).length, 0);
    clear(output).append(
      el('div', { class: 'prompt-columns' },
        [a, b].map((prompt) => el('div', { class: 'prompt-column' }, el('div', { class: 'prompt-head' }, el('code', null, prompt.key)), el('pre', { class: 'prompt-text' }, prompt.text)))),
      el('div', { class: 'compare-summary' }, added + removed === 0 ? 'Identical.' : [el('span', { class: 'add' }, `+${added}`), ' ', el('span', { class: 'del' }, `−${removed}`), ' lines']),
      el('div', { class: 'line-diff' }, changes.map((change) => {
        const tone = change.added ? 'add' : change.removed ? 'del' : 'ctx';
        const sign = change.added ? '+' : change.removed ? '−' : ' ';
        return linesOf(change.value).map((text) => el('div', { class: `ld ld-${tone}` }, el('span', { class: 'ld-sign' }, sign), el('span', { class: 'ld-text' }, text)));
      })));
  };
  left.addEventListener('change', render);
  right.addEventListener('change', render);
  render();
};
