/*
 * Starts the page: links from the scorecard, heatmap and failure tables open the attempt list
 * or an attempt; `#attempt=<id>` in the address opens that attempt. The first screens are plain
 * HTML and work without any of this.
 */
/* global app, document, window, history, location, performance */
app.start = () => {
  const root = document.documentElement;
  root.classList.add('js');
  root.dataset.reportState = 'loading';
  let drawer = null;
  let list = null;
  const pendingClicks = [];

  const attemptIdInHash = () => (location.hash.startsWith('#attempt=') ? decodeURIComponent(location.hash.slice('#attempt='.length)) : null);
  const route = () => {
    if (drawer === null) return;
    const id = attemptIdInHash();
    if (id === null || !drawer.openById(id)) drawer.close();
  };

  /** Opens an attempt (or closes the panel, for null) and records it in the address. */
  app.navigateToAttempt = (id, options = {}) => {
    const hash = id === null ? '' : `#attempt=${encodeURIComponent(id)}`;
    const url = `${location.pathname}${location.search}${hash}`;
    if (hash !== location.hash) {
      if (options.replace === true || id === null) history.replaceState(null, '', url);
      else history.pushState(null, '', url);
    }
    route();
  };

  const handleLink = (link) => {
    if (link.dataset.attempt !== undefined) {
      app.navigateToAttempt(link.dataset.attempt);
      return;
    }
    list.setFilter({ scenario: link.dataset.scenario, cohort: link.dataset.cohort });
    document.getElementById('attempts').scrollIntoView({ block: 'start' });
  };

  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-attempt], a[data-cohort], a[data-scenario]');
    if (link === null || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    if (list === null) pendingClicks.push(link);
    else handleLink(link);
  });
  window.addEventListener('popstate', route);
  window.addEventListener('hashchange', route);

  app
    .loadData()
    .then((data) => {
      list = app.createAttemptList(data, (index) => app.navigateToAttempt(data.attempts[index].id));
      drawer = app.createDrawer(data, list);
      app.createPromptCompare(data.prompts);
      route();
      for (const link of pendingClicks.splice(0)) handleLink(link);
      root.dataset.reportState = 'ready';
      performance.mark('report-ready');
    })
    .catch((error) => {
      root.dataset.reportState = 'error';
      document.getElementById('list-status').textContent = `The embedded data could not be read: ${error instanceof Error ? error.message : String(error)}`;
      throw error;
    });
};
