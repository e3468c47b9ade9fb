// Bad input: a named export instead of the default one.
export const config = { targets: [{ kind: 'scripted', id: 'scripted-reference', model: 'reference' }] };
