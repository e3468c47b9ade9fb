// @ts-check
/*
 * One attempt's drill-down, drawn from its view model: verdict, each check with its evidence,
 * what it did with OpenCode's TODOs, subagents and compaction, the agent's change as a diff,
 * the transcript as a timeline, timings and tokens.
 */
/** @import { AttemptView, CheckView, DiffFileView, DiffHunkView, DiffLineTone, DiffLineView, DiffView, EvidenceBlockView, PublishedView, QuestionView, TimelineItemView, VerdictView } from '../model/attempt-view-types.ts' */
/** @import { FactView } from '../model/view-primitives.ts' */
import { el } from './dom.js';

/** @param {VerdictView} verdict */
const renderVerdict = (verdict) =>
  el('div', { class: `verdict-box tone-${verdict.tone}` },
    el('strong', null, verdict.title),
    verdict.detail ? el('pre', { class: 'verdict-detail' }, verdict.detail) : null,
    verdict.note ? el('p', { class: 'verdict-note' }, verdict.note) : null);

/** @param {EvidenceBlockView} block */
const evidenceBlock = (block) =>
  el('div', { class: 'evidence' },
    el('div', { class: 'evidence-title' }, block.title, block.note ? el('span', { class: 'muted small' }, ` ${block.note}`) : null),
    block.rows.length === 0 ? null : el('div', { class: 'table-scroll' },
      el('table', { class: 'grid evidence-table' },
        el('thead', null, el('tr', null, block.columns.map((column) => el('th', null, column)))),
        el('tbody', null, block.rows.map((row) => el('tr', null, row.map((cell) => el('td', { class: `cell-${cell.tone}` }, cell.text))))))));

/** @param {CheckView} view */
const check = (view) =>
  el('details', { class: `check check-${view.status}`, open: view.isOpen },
    el('summary', null,
      el('span', { class: 'dot' }),
      el('code', { class: 'check-name' }, view.name),
      el('span', { class: 'check-status' }, view.statusLabel),
      el('span', { class: 'muted small' }, view.duration),
      view.facts.length === 0 ? null : el('span', { class: 'check-facts' }, view.facts.map((fact) => el('span', null, `${fact.label}: `, el('b', null, fact.value))))),
    el('div', { class: 'check-body' },
      view.reason ? el('pre', { class: 'reason' }, view.reason) : null,
      view.blocks.map(evidenceBlock)));

/**
 * @param {string} line
 * @returns {DiffLineTone}
 */
const classify = (line) => {
  if (/^(\+\+\+|---|@@|diff )/.test(line)) return 'meta';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  return line.startsWith(' ') ? 'ctx' : 'meta';
};

/**
 * The same numbering as the report model's `listHunkLines`.
 * @param {DiffHunkView} hunk
 * @returns {DiffLineView[]}
 */
const hunkLines = (hunk) => {
  if (hunk.text === '') return [];
  let oldNumber = hunk.oldStart;
  let newNumber = hunk.newStart;
  return hunk.text.split('\n').map((line) => {
    if (oldNumber === null || newNumber === null) {
      const tone = classify(line);
      const isChange = tone === 'add' || tone === 'del';
      return { oldNumber: '', newNumber: '', sign: isChange ? line.charAt(0) : '', text: isChange ? line.slice(1) : line, tone };
    }
    const sign = line.charAt(0);
    if (sign === '+') return { oldNumber: '', newNumber: String(newNumber++), sign, text: line.slice(1), tone: 'add' };
    if (sign === '-') return { oldNumber: String(oldNumber++), newNumber: '', sign, text: line.slice(1), tone: 'del' };
    if (sign === '\\') return { oldNumber: '', newNumber: '', sign: '', text: line, tone: 'meta' };
    return { oldNumber: String(oldNumber++), newNumber: String(newNumber++), sign: ' ', text: line.slice(1), tone: 'ctx' };
  });
};

/** @param {DiffFileView} file */
const diffFile = (file) =>
  el('div', { class: 'diff-file' },
    el('div', { class: 'diff-file-head' },
      el('code', null, file.name), el('span', { class: 'chip' }, file.changeLabel),
      el('span', { class: 'add' }, `+${file.additions}`), el('span', { class: 'del' }, `−${file.deletions}`)),
    file.note ? el('p', { class: 'note' }, file.note) : null,
    file.hunks.length === 0 ? null : el('div', { class: 'table-scroll' },
      el('table', { class: 'diff-table' }, file.hunks.map((hunk) => [
        el('tr', { class: 'hunk' }, el('td', { colspan: 4 }, hunk.header)),
        hunkLines(hunk).map((line) => el('tr', { class: `line-${line.tone}` },
          el('td', { class: 'ln' }, line.oldNumber), el('td', { class: 'ln' }, line.newNumber),
          el('td', { class: 'sign' }, line.sign), el('td', { class: 'src' }, line.text))),
      ]))));

/** @param {DiffView} view */
const diff = (view) => {
  if (view.isEmpty) return el('p', { class: 'muted' }, 'The agent changed no file.');
  return el('div', { class: 'diff' },
    view.note ? el('p', { class: 'notice small' }, view.note) : null,
    el('div', { class: 'diff-summary' }, `${view.files.length} file(s) `, el('span', { class: 'add' }, `+${view.additions}`), ' ', el('span', { class: 'del' }, `−${view.deletions}`)),
    view.files.map(diffFile));
};

/** @param {QuestionView} entry */
const question = (entry) =>
  el('div', { class: 'qa' },
    el('div', { class: 'q' }, entry.question),
    el('div', { class: 'muted small' }, `options: ${entry.options}`),
    el('div', { class: 'a' }, `→ ${entry.answer} `, el('span', { class: 'muted small' }, `(scripted answer, matched by ${entry.matchedBy})`)));

/** @param {TimelineItemView} item */
const timelineItem = (item) =>
  el('li', { class: `tl tl-${item.tone}${item.nested ? ' tl-nested' : ''}` },
    el('span', { class: 'tl-time' }, item.offset),
    el('div', { class: 'tl-body' },
      el('div', { class: 'tl-label' }, item.label),
      item.headline ? el('div', { class: 'tl-headline' }, item.headline) : null,
      item.text ? el('pre', { class: 'tl-text' }, item.text) : null,
      (item.questions ?? []).map(question),
      (item.folds ?? []).map((fold) => el('details', { class: 'fold inner' }, el('summary', null, fold.title), el('pre', null, fold.text)))));

/** @param {TimelineItemView[]} items */
const timeline = (items) =>
  items.length === 0 ? el('p', { class: 'muted' }, 'No transcript was recorded.') : el('ol', { class: 'timeline' }, items.map(timelineItem));

/**
 * @param {string} title
 * @param {FactView[]} list
 */
const facts = (title, list) =>
  el('div', null, el('h4', null, title), el('dl', { class: 'facts' }, list.map((fact) => [el('dt', null, fact.label), el('dd', null, fact.value)])));

/**
 * How the change was published (a commit and a patch, as the platform's Publish makes them).
 * @param {PublishedView | null} change
 */
const published = (change) => {
  if (change === null) return null;
  if (change.status === 'empty') return el('p', { class: 'muted small published' }, 'Nothing to publish: the attempt changed no file.');
  if (change.status === 'errored') return el('p', { class: 'notice small published' }, `Publishing failed (a harness fault, not the model's): ${change.error}`);
  return el('p', { class: 'small published' },
    'Published as commit ', el('code', null, change.commit), ' on branch ', el('code', null, change.branch), ` of changes.git (${change.files} file${change.files === 1 ? '' : 's'}) · `,
    el('a', { href: change.patchHref }, 'patch'));
};

/** @param {AttemptView} view */
export const renderAttempt = (view) =>
  el('article', { class: `attempt tone-${view.tone}`, 'data-attempt-id': view.attemptId },
    renderVerdict(view.verdict),
    el('div', { class: 'ids muted small' },
      'spec ', el('code', null, view.specId), ' · attempt ', el('code', null, view.attemptId), ` · started ${view.startedAt} · ${view.totalTime} · ${view.totalTokens} tokens`),
    view.reusedFrom ? el('p', { class: 'notice small' }, `Reused from ${view.reusedFrom}: its inputs were identical, so it was not run again.`) : null,
    view.serverLoad ? el('p', { class: 'notice small server-load' }, view.serverLoad) : null,
    view.isFinal ? null : el('p', { class: 'notice small' }, 'A later attempt of this spec replaced this one (a retry): it does not count in any rate.'),
    view.features.length === 0 ? null : el('div', { class: 'attempt-features' }, facts('OpenCode features', view.features)),
    el('h4', null, 'Checks'),
    view.checks.length === 0 ? el('p', { class: 'muted' }, 'No check ran.') : view.checks.map(check),
    el('h4', null, 'Change'),
    published(view.published),
    diff(view.diff),
    el('h4', null, `Transcript (${view.timeline.length} entries)`),
    timeline(view.timeline),
    el('div', { class: 'facts-grid' }, facts('Timings', view.timings), facts('Tokens', view.tokens)));
