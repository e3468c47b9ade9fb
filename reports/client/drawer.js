// @ts-check
/* The drill-down panel: one attempt at a time, stepping through the list as filtered. */
/* global document, HTMLButtonElement, HTMLElement, SVGElement */
/** @import { AttemptList } from './attempt-list.js' */
/** @import { LoadedReportData } from './load-data.js' */
import { renderAttempt } from './attempt-detail.js';
import { byId, clear, el } from './dom.js';

/**
 * Opens an attempt by its id, or closes the panel for `null`, and records it in the address.
 * @callback NavigateToAttempt
 * @param {string | null} id
 * @param {{ replace?: boolean }} [options]
 * @returns {void}
 */

/**
 * @typedef {object} Drawer
 * @property {(id: string) => boolean} openById Opens the attempt with this id; false when the run has no such attempt.
 * @property {() => void} close
 */

/**
 * @param {LoadedReportData} data
 * @param {AttemptList} list
 * @param {NavigateToAttempt} navigateToAttempt how the panel's buttons and keys move, through the address
 * @returns {Drawer}
 */
export const createDrawer = (data, list, navigateToAttempt) => {
  const parts = {
    drawer: byId('drawer', HTMLElement),
    backdrop: byId('drawer-backdrop', HTMLElement),
    title: byId('drawer-title', HTMLElement),
    body: byId('drawer-body', HTMLElement),
    previous: byId('drawer-prev', HTMLButtonElement),
    next: byId('drawer-next', HTMLButtonElement),
    close: byId('drawer-close', HTMLButtonElement),
  };
  const indexById = new Map(data.attempts.map((row, index) => [row.id, index]));
  /** @type {number | null} */
  let current = null;
  /** @type {HTMLElement | SVGElement | null} */
  let returnFocus = null;

  /**
   * The order prev/next walk: the filtered list when it holds the attempt, else every attempt.
   * @param {number} step
   * @returns {number | null}
   */
  const neighbourOf = (step) => {
    if (current === null) return null;
    const matches = list.matches();
    const position = matches.indexOf(current);
    if (position !== -1) return matches[position + step] ?? null;
    const index = current + step;
    return index >= 0 && index < data.attempts.length ? index : null;
  };

  /** @param {number} index */
  const show = (index) => {
    const row = data.attempts[index];
    if (row === undefined) throw new Error(`no attempt at ${index}`);
    const cohort = data.cohorts[row.cohort];
    const cohortName = cohort === undefined ? '?' : `${cohort.targetId} · ${cohort.promptVariantId}`;
    current = index;
    clear(parts.title).append(
      el('span', { class: `chip status tone-${row.tone}` }, row.title),
      el('span', { class: 'drawer-subject' }, data.scenarios[row.scenario]?.title ?? '?'),
      el('span', { class: 'muted' }, ` · ${cohortName} · repeat ${row.repeat}${row.of > 1 ? ` · attempt ${row.attempt} of ${row.of}` : ''}`));
    clear(parts.body).append(
      data.trimmedNote === null ? '' : el('p', { class: 'notice small trimmed-note' }, data.trimmedNote),
      renderAttempt(data.detailAt(index)));
    parts.body.scrollTop = 0;
    parts.previous.disabled = neighbourOf(-1) === null;
    parts.next.disabled = neighbourOf(1) === null;
    if (parts.drawer.hidden) {
      const active = document.activeElement;
      returnFocus = active instanceof HTMLElement || active instanceof SVGElement ? active : null;
    }
    parts.drawer.hidden = false;
    parts.backdrop.hidden = false;
    document.body.classList.add('drawer-open');
    parts.drawer.focus({ preventScroll: true });
  };

  const hide = () => {
    if (parts.drawer.hidden) return;
    parts.drawer.hidden = true;
    parts.backdrop.hidden = true;
    document.body.classList.remove('drawer-open');
    current = null;
    if (returnFocus !== null) returnFocus.focus({ preventScroll: true });
  };

  /** @param {number} direction */
  const step = (direction) => {
    const index = neighbourOf(direction);
    const row = index === null ? undefined : data.attempts[index];
    if (row !== undefined) navigateToAttempt(row.id, { replace: true });
  };

  parts.drawer.tabIndex = -1;
  parts.previous.addEventListener('click', () => step(-1));
  parts.next.addEventListener('click', () => step(1));
  parts.close.addEventListener('click', () => navigateToAttempt(null));
  parts.backdrop.addEventListener('click', () => navigateToAttempt(null));
  document.addEventListener('keydown', (event) => {
    if (parts.drawer.hidden || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'Escape') navigateToAttempt(null);
    else if (event.key === 'j' || event.key === 'ArrowRight') step(1);
    else if (event.key === 'k' || event.key === 'ArrowLeft') step(-1);
  });

  return {
    openById: (id) => {
      const index = indexById.get(id);
      if (index === undefined) return false;
      show(index);
      return true;
    },
    close: hide,
  };
};
