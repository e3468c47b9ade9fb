/* The drill-down panel: one attempt at a time, stepping through the list as filtered. */
/* global app, document */
app.createDrawer = (data, list) => {
  const { el, clear } = app.dom;
  const byId = (id) => document.getElementById(id);
  const parts = {
    drawer: byId('drawer'),
    backdrop: byId('drawer-backdrop'),
    title: byId('drawer-title'),
    body: byId('drawer-body'),
    previous: byId('drawer-prev'),
    next: byId('drawer-next'),
    close: byId('drawer-close'),
  };
  const indexById = new Map(data.attempts.map((row, index) => [row.id, index]));
  let current = null;
  let returnFocus = null;

  /** The order prev/next walk: the filtered list when it holds the attempt, else every attempt. */
  const neighbourOf = (step) => {
    const matches = list.matches();
    const position = matches.indexOf(current);
    if (position !== -1) return matches[position + step] ?? null;
    const index = current + step;
    return index >= 0 && index < data.attempts.length ? index : null;
  };

  const show = (index) => {
    const row = data.attempts[index];
    const cohort = data.cohorts[row.cohort];
    current = index;
    clear(parts.title).append(
      el('span', { class: `chip status tone-${row.tone}` }, row.title),
      el('span', { class: 'drawer-subject' }, data.scenarios[row.scenario]?.title ?? '?'),
      el('span', { class: 'muted' }, ` · ${cohort.targetId} · ${cohort.promptVariantId} · repeat ${row.repeat}${row.of > 1 ? ` · attempt ${row.attempt} of ${row.of}` : ''}`));
    clear(parts.body).append(
      data.trimmedNote === null ? '' : el('p', { class: 'notice small trimmed-note' }, data.trimmedNote),
      app.renderAttempt(data.detailAt(index)));
    parts.body.scrollTop = 0;
    parts.previous.disabled = neighbourOf(-1) === null;
    parts.next.disabled = neighbourOf(1) === null;
    if (parts.drawer.hidden) returnFocus = document.activeElement;
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
    if (returnFocus !== null && typeof returnFocus.focus === 'function') returnFocus.focus({ preventScroll: true });
  };

  const step = (direction) => {
    const index = current === null ? null : neighbourOf(direction);
    if (index !== null) app.navigateToAttempt(data.attempts[index].id, { replace: true });
  };

  parts.drawer.tabIndex = -1;
  parts.previous.addEventListener('click', () => step(-1));
  parts.next.addEventListener('click', () => step(1));
  parts.close.addEventListener('click', () => app.navigateToAttempt(null));
  parts.backdrop.addEventListener('click', () => app.navigateToAttempt(null));
  document.addEventListener('keydown', (event) => {
    if (parts.drawer.hidden || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'Escape') app.navigateToAttempt(null);
    else if (event.key === 'j' || event.key === 'ArrowRight') step(1);
    else if (event.key === 'k' || event.key === 'ArrowLeft') step(-1);
  });

  return {
    /** Opens the attempt with this id; false when the run has no such attempt. */
    openById: (id) => {
      const index = indexById.get(id);
      if (index === undefined) return false;
      show(index);
      return true;
    },
    close: hide,
  };
};
