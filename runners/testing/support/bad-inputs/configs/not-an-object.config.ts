// Bad input: a default export that is not an object.
export default ['scripted-reference'];
