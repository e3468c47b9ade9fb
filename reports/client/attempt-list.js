// @ts-check
/* The attempt list: filters by scenario, configuration, outcome and failed check; one page at a time. */
/* global HTMLButtonElement, HTMLElement, HTMLSelectElement, HTMLTableSectionElement, Element */
/** @import { LoadedReportData } from './load-data.js' */
import { byId, clear, el, option } from './dom.js';

/**
 * The list's filters, as the selects hold them: an empty string lets everything through.
 * @typedef {{ scenario: string; cohort: string; outcome: string; check: string }} Filter
 */

/**
 * What the rest of the page may do with the list.
 * @typedef {object} AttemptList
 * @property {(filter: Partial<Filter>) => void} setFilter Sets some filters (others are cleared) and shows the first page.
 * @property {() => readonly number[]} matches Indexes of the attempts the filters let through, in list order.
 * @property {(index: number) => void} reveal Shows the page holding this attempt, when the filters let it through.
 */

const PAGE_SIZE = 50;

/**
 * @param {LoadedReportData} data
 * @param {(index: number) => void} onOpen called with the index of a row clicked outside its link
 * @returns {AttemptList}
 */
export const createAttemptList = (data, onOpen) => {
  const controls = {
    scenario: byId('filter-scenario', HTMLSelectElement),
    cohort: byId('filter-cohort', HTMLSelectElement),
    outcome: byId('filter-outcome', HTMLSelectElement),
    check: byId('filter-check', HTMLSelectElement),
    reset: byId('filter-reset', HTMLButtonElement),
    rows: byId('attempt-rows', HTMLTableSectionElement),
    status: byId('list-status', HTMLElement),
    info: byId('page-info', HTMLElement),
    previous: byId('page-prev', HTMLButtonElement),
    next: byId('page-next', HTMLButtonElement),
  };
  /** @param {number} index */
  const cohortLabel = (index) => {
    const cohort = data.cohorts[index];
    return cohort === undefined ? '?' : `${cohort.targetId} · ${cohort.promptVariantId}`;
  };
  data.scenarios.forEach((scenario, index) => controls.scenario.append(option(String(index), scenario.title)));
  data.cohorts.forEach((_, index) => controls.cohort.append(option(String(index), cohortLabel(index))));
  data.checks.forEach((name) => controls.check.append(option(name, name)));

  /** @type {{ page: number; matches: number[] }} */
  const state = { page: 0, matches: [] };
  /** @returns {Filter} */
  const readFilter = () => ({
    scenario: controls.scenario.value,
    cohort: controls.cohort.value,
    outcome: controls.outcome.value,
    check: controls.check.value,
  });
  /**
   * @param {LoadedReportData['attempts'][number]} row
   * @param {Filter} filter
   */
  const isMatch = (row, filter) =>
    (filter.scenario === '' || String(row.scenario) === filter.scenario) &&
    (filter.cohort === '' || String(row.cohort) === filter.cohort) &&
    (filter.outcome === '' || (filter.outcome === 'not-passed' ? row.tone !== 'passed' : row.tone === filter.outcome)) &&
    (filter.check === '' || row.failed.includes(filter.check));

  /** @param {number} index */
  const renderRow = (index) => {
    const row = data.attempts[index];
    if (row === undefined) throw new Error(`no attempt at ${index}`);
    return el('tr', { class: `attempt-row tone-${row.tone}`, 'data-index': index },
      el('td', null,
        el('a', { href: `#attempt=${encodeURIComponent(row.id)}`, class: `chip status tone-${row.tone}`, 'data-attempt': row.id }, row.title),
        row.final ? null : el('span', { class: 'chip chip-muted', title: 'A later attempt of this spec replaced this one.' }, 'retried'),
        row.reused ? el('span', { class: 'chip chip-muted', title: 'Reused from an earlier run with identical inputs.' }, 'reused') : null),
      el('td', null, data.scenarios[row.scenario]?.title ?? '?'),
      el('td', null, el('code', null, cohortLabel(row.cohort))),
      el('td', { class: 'num' }, row.repeat),
      el('td', { class: 'num' }, row.of > 1 ? `${row.attempt} of ${row.of}` : row.attempt),
      el('td', { class: 'num' }, row.time),
      el('td', { class: 'num' }, row.tokens));
  };

  const render = () => {
    const pages = Math.max(1, Math.ceil(state.matches.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    const first = state.page * PAGE_SIZE;
    const shown = state.matches.slice(first, first + PAGE_SIZE);
    clear(controls.rows).append(...shown.map(renderRow));
    if (shown.length === 0) controls.rows.append(el('tr', null, el('td', { colspan: 7, class: 'muted' }, 'No attempt matches these filters.')));
    controls.status.textContent = `${state.matches.length.toLocaleString('en-US')} of ${data.attempts.length.toLocaleString('en-US')} attempts match.`;
    controls.info.textContent = `Page ${state.page + 1} of ${pages}`;
    controls.previous.disabled = state.page === 0;
    controls.next.disabled = state.page >= pages - 1;
  };

  const refresh = () => {
    const filter = readFilter();
    state.matches = [];
    data.attempts.forEach((row, index) => {
      if (isMatch(row, filter)) state.matches.push(index);
    });
    state.page = 0;
    render();
  };

  /** @param {Partial<Filter>} filter */
  const setFilter = (filter) => {
    controls.scenario.value = filter.scenario ?? '';
    controls.cohort.value = filter.cohort ?? '';
    controls.outcome.value = filter.outcome ?? '';
    controls.check.value = filter.check ?? '';
    refresh();
  };

  for (const select of [controls.scenario, controls.cohort, controls.outcome, controls.check]) select.addEventListener('change', refresh);
  controls.reset.addEventListener('click', () => setFilter({}));
  controls.previous.addEventListener('click', () => {
    state.page -= 1;
    render();
  });
  controls.next.addEventListener('click', () => {
    state.page += 1;
    render();
  });
  controls.rows.addEventListener('click', (event) => {
    if (!(event.target instanceof Element)) return;
    const row = event.target.closest('tr[data-index]');
    if (!(row instanceof HTMLElement) || event.target.closest('a') !== null) return;
    onOpen(Number(row.dataset.index));
  });

  refresh();
  return {
    setFilter,
    matches: () => state.matches,
    reveal: (index) => {
      const position = state.matches.indexOf(index);
      if (position === -1) return;
      state.page = Math.floor(position / PAGE_SIZE);
      render();
    },
  };
};
