// @ts-check
/*
 * Starts the page: links from the scorecard, heatmap and failure tables open the attempt list
 * or an attempt; `#attempt=<id>` in the address opens that attempt. The first screens are plain
 * HTML and work without any of this.
 */
/* global document, window, history, location, performance, Element, HTMLAnchorElement, HTMLElement */
/** @import { AttemptList } from './attempt-list.js' */
/** @import { Drawer, NavigateToAttempt } from './drawer.js' */
import { createAttemptList } from './attempt-list.js';
import { byId } from './dom.js';
import { createDrawer } from './drawer.js';
import { loadData } from './load-data.js';
import { createPromptCompare } from './prompt-compare.js';

/** The page script's one entry point, called once the script has been read. */
export const start = () => {
  const root = document.documentElement;
  root.classList.add('js');
  root.dataset.reportState = 'loading';
  /** @type {Drawer | null} */
  let drawer = null;
  /** @type {AttemptList | null} */
  let list = null;
  /** @type {HTMLAnchorElement[]} */
  const pendingClicks = [];

  const attemptIdInHash = () => (location.hash.startsWith('#attempt=') ? decodeURIComponent(location.hash.slice('#attempt='.length)) : null);
  const route = () => {
    if (drawer === null) return;
    const id = attemptIdInHash();
    if (id === null || !drawer.openById(id)) drawer.close();
  };

  /** @type {NavigateToAttempt} */
  const navigateToAttempt = (id, options = {}) => {
    const hash = id === null ? '' : `#attempt=${encodeURIComponent(id)}`;
    const url = `${location.pathname}${location.search}${hash}`;
    if (hash !== location.hash) {
      if (options.replace === true || id === null) history.replaceState(null, '', url);
      else history.pushState(null, '', url);
    }
    route();
  };

  /**
   * @param {AttemptList} attemptList
   * @param {HTMLAnchorElement} link
   */
  const handleLink = (attemptList, link) => {
    if (link.dataset.attempt !== undefined) {
      navigateToAttempt(link.dataset.attempt);
      return;
    }
    attemptList.setFilter({ scenario: link.dataset.scenario, cohort: link.dataset.cohort });
    byId('attempts', HTMLElement).scrollIntoView({ block: 'start' });
  };

  document.addEventListener('click', (event) => {
    if (!(event.target instanceof Element)) return;
    const link = event.target.closest('a[data-attempt], a[data-cohort], a[data-scenario]');
    if (!(link instanceof HTMLAnchorElement) || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    if (list === null) pendingClicks.push(link);
    else handleLink(list, link);
  });
  window.addEventListener('popstate', route);
  window.addEventListener('hashchange', route);

  loadData()
    .then((data) => {
      const attemptList = createAttemptList(data, (index) => {
        const row = data.attempts[index];
        if (row !== undefined) navigateToAttempt(row.id);
      });
      list = attemptList;
      drawer = createDrawer(data, attemptList, navigateToAttempt);
      createPromptCompare(data.prompts);
      route();
      for (const link of pendingClicks.splice(0)) handleLink(attemptList, link);
      root.dataset.reportState = 'ready';
      performance.mark('report-ready');
    })
    .catch((/** @type {unknown} */ error) => {
      root.dataset.reportState = 'error';
      byId('list-status', HTMLElement).textContent = `The embedded data could not be read: ${error instanceof Error ? error.message : String(error)}`;
      throw error;
    });
};
