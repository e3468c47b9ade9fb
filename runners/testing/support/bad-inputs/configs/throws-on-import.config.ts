// Bad input: a config module that throws while it loads.
export default (() => {
  throw new Error('HARNESS_MODEL is not set');
})();
