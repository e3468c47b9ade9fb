/* Progressive enhancement only: the report reads fully without it. */
/* global document, window, location */
(() => {
  document.documentElement.classList.add('js');
  const setOpen = (selector, open) => {
    for (const element of document.querySelectorAll(selector)) element.open = open;
  };
  for (const button of document.querySelectorAll('[data-toggle-all]')) {
    button.addEventListener('click', () => setOpen('details.attempt', button.dataset.toggleAll === 'open'));
  }
  const revealTarget = () => {
    const target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    for (let node = target; node !== null; node = node.parentElement) {
      if (node.tagName === 'DETAILS') node.open = true;
    }
    if (target !== null) target.scrollIntoView();
  };
  window.addEventListener('hashchange', revealTarget);
  revealTarget();
  let openedForPrint = [];
  window.addEventListener('beforeprint', () => {
    openedForPrint = [...document.querySelectorAll('details.print-open:not([open])')];
    for (const element of openedForPrint) element.open = true;
  });
  window.addEventListener('afterprint', () => {
    for (const element of openedForPrint) element.open = false;
    openedForPrint = [];
  });
})();
