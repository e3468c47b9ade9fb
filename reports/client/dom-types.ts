/**
 * Types of the page script that JSDoc cannot spell (a recursive alias). Checked with the client,
 * by `tsconfig.client.json`; it declares, it runs nothing.
 */

/** What `el` accepts as children: nodes, text, numbers (shown as text), nothing, or lists of these. */
export type Child = Node | string | number | false | null | undefined | readonly Child[];
