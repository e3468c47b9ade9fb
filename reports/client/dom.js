// @ts-check
/*
 * Builds the page's dynamic parts without ever parsing markup: every string from the data
 * goes in as a text node, attributes come from a short allow-list, and links stay in the page —
 * but for the attempts' patches, which the run folder holds beside the report.
 */
/* global document, Node */

/** @import { Child } from './dom-types.ts' */

/** @typedef {Record<string, string | number | boolean | null | undefined>} Attributes */

const ALLOWED_ATTRIBUTES = new Set([
  'class', 'id', 'title', 'href', 'type', 'value', 'role', 'colspan', 'scope', 'tabindex',
  'aria-label', 'aria-live', 'aria-expanded', 'aria-current', 'open', 'selected', 'hidden', 'lang',
]);

/** The one kind of link that leaves the page: an attempt's patch in the run folder. */
const PATCH_LINK = /^patches\/[A-Za-z0-9._-]+\.patch$/;

/**
 * Appends children in order, lists flattened; `null`, `undefined` and `false` add nothing.
 * @template {Element} E
 * @param {E} parent
 * @param {readonly Child[]} children
 * @returns {E}
 */
export const append = (parent, children) => {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (child instanceof Node) parent.append(child);
    else if (typeof child === 'object') append(parent, child);
    else parent.append(String(child));
  }
  return parent;
};

/**
 * `el('td', { class: 'num' }, 'text', otherNode)`: attributes are set as plain values.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attributes | null} attributes
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export const el = (tag, attributes, ...children) => {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (!ALLOWED_ATTRIBUTES.has(name) && !name.startsWith('data-')) throw new Error(`attribute not allowed: ${name}`);
    if (name === 'href' && !String(value).startsWith('#') && !PATCH_LINK.test(String(value))) throw new Error('links must stay inside the page');
    element.setAttribute(name, value === true ? '' : String(value));
  }
  return append(element, children);
};

/**
 * @template {Element} E
 * @param {E} node
 * @returns {E}
 */
export const clear = (node) => {
  node.replaceChildren();
  return node;
};

/**
 * @param {string} value
 * @param {string} label
 * @param {boolean} [selected]
 */
export const option = (value, label, selected) => el('option', { value, selected: selected === true }, label);

/**
 * The page's element with this id, of this kind: the templates and this script go together, so
 * a missing or different element is a bug, said at once.
 * @template {Element} E
 * @param {string} id
 * @param {{ new (): E; readonly name: string }} kind
 * @returns {E}
 */
export const byId = (id, kind) => {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`the page has no ${kind.name} #${id}`);
  return element;
};
