/* The attempt list: filters by scenario, configuration, outcome and failed check; one page at a time. */
/* global app, document */
app.createAttemptList = (data, onOpen) => {
  const { el, clear, option } = app.dom;
  const PAGE_SIZE = 50;
  const byId = (id) => document.getElementById(id);
  const controls = {
    scenario: byId('filter-scenario'),
    cohort: byId('filter-cohort'),
    outcome: byId('filter-outcome'),
    check: byId('filter-check'),
    reset: byId('filter-reset'),
    rows: byId('attempt-rows'),
    status: byId('list-status'),
    info: byId('page-info'),
    previous: byId('page-prev'),
    next: byId('page-next'),
  };
  const cohortLabel = (index) => {
    const cohort = data.cohorts[index];
    return cohort === undefined ? '?' : `${cohort.targetId} · ${cohort.promptVariantId}`;
  };
  data.scenarios.forEach((scenario, index) => controls.scenario.append(option(String(index), scenario.title)));
  data.cohorts.forEach((_, index) => controls.cohort.append(option(String(index), cohortLabel(index))));
  data.checks.forEach((name) => controls.check.append(option(name, name)));

  const state = { page: 0, matches: [] };
  const readFilter = () => ({
    scenario: controls.scenario.value,
    cohort: controls.cohort.value,
    outcome: controls.outcome.value,
    check: controls.check.value,
  });
  const isMatch = (row, filter) =>
    (filter.scenario === '' || String(row.scenario) === filter.scenario) &&
    (filter.cohort === '' || String(row.cohort) === filter.cohort) &&
    (filter.outcome === '' || (filter.outcome === 'not-passed' ? row.tone !== 'passed' : row.tone === filter.outcome)) &&
    (filter.check === '' || row.failed.includes(filter.check));

  const renderRow = (index) => {
    const row = data.attempts[index];
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

  for (const select of [controls.scenario, controls.cohort, controls.outcome, controls.check]) select.addEventListener('change', refresh);
  controls.reset.addEventListener('click', () => setFilter({ scenario: '', cohort: '', outcome: '', check: '' }));
  controls.previous.addEventListener('click', () => {
    state.page -= 1;
    render();
  });
  controls.next.addEventListener('click', () => {
    state.page += 1;
    render();
  });
  controls.rows.addEventListener('click', (event) => {
    const row = event.target.closest('tr[data-index]');
    if (row === null || event.target.closest('a') !== null) return;
    onOpen(Number(row.dataset.index));
  });

  /** Sets some filters (others are cleared) and shows the first page. */
  const setFilter = (filter) => {
    controls.scenario.value = filter.scenario ?? '';
    controls.cohort.value = filter.cohort ?? '';
    controls.outcome.value = filter.outcome ?? '';
    controls.check.value = filter.check ?? '';
    refresh();
  };

  refresh();
  return {
    setFilter,
    /** Indexes of the attempts the filters let through, in list order. */
    matches: () => state.matches,
    /** Shows the page holding this attempt, when the filters let it through. */
    reveal: (index) => {
      const position = state.matches.indexOf(index);
      if (position === -1) return;
      state.page = Math.floor(position / PAGE_SIZE);
      render();
    },
  };
};
