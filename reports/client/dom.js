/*
 * Builds the page's dynamic parts without ever parsing markup: every string from the data
 * goes in as a text node, attributes come from a short allow-list, and links stay in the page.
 */
/* global app, document */
app.dom = (() => {
  const ALLOWED_ATTRIBUTES = new Set([
    'class', 'id', 'title', 'href', 'type', 'value', 'role', 'colspan', 'scope', 'tabindex',
    'aria-label', 'aria-live', 'aria-expanded', 'aria-current', 'open', 'selected', 'hidden', 'lang',
  ]);

  const append = (parent, children) => {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      parent.append(typeof child === 'object' ? child : String(child));
    }
    return parent;
  };

  /** `el('td', { class: 'num' }, 'text', otherNode)`: attributes are set as plain values. */
  const el = (tag, attributes, ...children) => {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes ?? {})) {
      if (value === null || value === undefined || value === false) continue;
      if (!ALLOWED_ATTRIBUTES.has(name) && !name.startsWith('data-')) throw new Error(`attribute not allowed: ${name}`);
      if (name === 'href' && !String(value).startsWith('#')) throw new Error('links must stay inside the page');
      element.setAttribute(name, value === true ? '' : String(value));
    }
    return append(element, children);
  };

  const clear = (node) => {
    node.replaceChildren();
    return node;
  };

  const option = (value, label, selected) => el('option', { value, selected: selected === true }, label);

  return { el, append, clear, option };
})();
