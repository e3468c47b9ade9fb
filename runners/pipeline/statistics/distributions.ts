/**
 * Special functions and distributions used by the statistics engine, all in double precision and,
 * where overflow threatens, in log space. Pure functions; reference values are checked in the tests.
 */

const LOG_SQRT_2PI = 0.9189385332046728; // ln(sqrt(2*pi))
const EPSILON = 1e-16;
const TINY = 1e-300;

/**
 * ln Γ(x) for x > 0. Shifts x up to ≥ 15 with the recurrence Γ(x+1) = xΓ(x), then applies the
 * Stirling series with terms to x^-9 (Abramowitz & Stegun 6.1.40); absolute error ≈ 1e-15.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: x must be > 0, got ${x}`);
  if (x === Infinity) return Infinity;
  let shift = 0;
  let z = x;
  while (z < 15) {
    shift += Math.log(z);
    z += 1;
  }
  const inverse = 1 / z;
  const inverse2 = inverse * inverse;
  const series = inverse * (1 / 12 - inverse2 * (1 / 360 - inverse2 * (1 / 1260 - inverse2 * (1 / 1680 - inverse2 / 1188))));
  return (z - 0.5) * Math.log(z) - z + LOG_SQRT_2PI + series - shift;
}

/** ln C(n, k) via log-gamma; -Infinity outside 0 ≤ k ≤ n. Works for n far beyond float overflow. */
export function logBinomial(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  if (k === 0 || k === n) return 0;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** ln P(X = k) for X ~ Binomial(n, p). */
export function logBinomialPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n) return -Infinity;
  if (p === 0) return k === 0 ? 0 : -Infinity;
  if (p === 1) return k === n ? 0 : -Infinity;
  return logBinomial(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/**
 * Sum of the pmf from `start` stepping by `step` (±1), relative to the first term: the terms
 * decrease monotonically in that direction, so summing stops once they no longer change the sum.
 */
function relativeTailSum(start: number, step: 1 | -1, n: number, p: number): number {
  const odds = p / (1 - p);
  let term = 1;
  let sum = 1;
  for (let k = start; step === -1 ? k > 0 : k < n; k += step) {
    term *= step === -1 ? (k / (n - k + 1)) / odds : ((n - k) / (k + 1)) * odds;
    sum += term;
    if (term < EPSILON * sum) break;
  }
  return sum;
}

/**
 * ln P(X ≤ k) for X ~ Binomial(n, p), exact: sums the smaller tail term by term from its largest
 * term in log space (no 2^n, no C(n, k) in floats), and complements with log1p when needed.
 */
export function binomialLogCdf(k: number, n: number, p: number): number {
  const kk = Math.floor(k);
  if (kk < 0) return -Infinity;
  if (kk >= n) return 0;
  if (p === 0) return 0;
  if (p === 1) return -Infinity;
  if (kk <= n * p) return logBinomialPmf(kk, n, p) + Math.log(relativeTailSum(kk, -1, n, p));
  const upper = Math.exp(logBinomialPmf(kk + 1, n, p)) * relativeTailSum(kk + 1, 1, n, p);
  return Math.log1p(-Math.min(1, upper));
}

/** P(X ≤ k) for X ~ Binomial(n, p), exact (see binomialLogCdf). */
export function binomialCdf(k: number, n: number, p: number): number {
  return Math.exp(binomialLogCdf(k, n, p));
}

/**
 * Continued fraction for the incomplete beta function, modified Lentz method
 * (Press et al., Numerical Recipes, 3rd ed., §6.4, betacf).
 */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  d = 1 / (Math.abs(d) < TINY ? TINY : d);
  let h = d;
  for (let m = 1; m <= 10_000; m += 1) {
    const m2 = 2 * m;
    for (const aa of [(m * (b - m) * x) / ((qam + m2) * (a + m2)), (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))]) {
      d = 1 + aa * d;
      d = 1 / (Math.abs(d) < TINY ? TINY : d);
      c = 1 + aa / c;
      if (Math.abs(c) < TINY) c = TINY;
      h *= d * c;
      if (aa < 0 && Math.abs(d * c - 1) < EPSILON) return h;
    }
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b) (Numerical Recipes §6.4; symmetry I_x(a,b) = 1 − I_{1−x}(b,a)). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`regularizedBeta: a, b must be > 0, got ${a}, ${b}`);
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - (logGamma(a) + logGamma(b) - logGamma(a + b));
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Regularized upper incomplete gamma Q(a, x): series for x < a + 1, else continued fraction (NR §6.2). */
function regularizedGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const logFront = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * EPSILON; n += 1) {
      term *= x / (a + n);
      sum += term;
    }
    return 1 - sum * Math.exp(logFront);
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i += 1) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = 1 / (Math.abs(d) < TINY ? TINY : d);
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    h *= d * c;
    if (Math.abs(d * c - 1) < EPSILON) break;
  }
  return Math.exp(logFront) * h;
}

/** Standard normal CDF Φ(x) = ½·erfc(−x/√2), with erfc(y) = Q(½, y²); accurate in the far tails. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  const tail = 0.5 * regularizedGammaQ(0.5, (x * x) / 2);
  return x < 0 ? tail : 1 - tail;
}

/** Standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x - LOG_SQRT_2PI);
}

const ACKLAM_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const ACKLAM_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

function polynomial(coefficients: readonly number[], x: number): number {
  return coefficients.reduce((sum, coefficient) => sum * x + coefficient, 0);
}

/** Acklam's rational starting value for the normal quantile (relative error < 1.2e-9). */
function acklamQuantile(p: number): number {
  if (p < 0.02425 || p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(Math.min(p, 1 - p)));
    const x = polynomial(ACKLAM_C, q) / (polynomial(ACKLAM_D, q) * q + 1);
    return p < 0.5 ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (polynomial(ACKLAM_A, r) * q) / (polynomial(ACKLAM_B, r) * r + 1);
}

/** Standard normal quantile Φ⁻¹(p): Acklam's approximation refined by Newton steps on normalCdf. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile: p must lie in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normalQuantile(1 - p); // 1 − p is exact for p ≥ ½ (Sterbenz)
  let x = acklamQuantile(p);
  for (let step = 0; step < 3; step += 1) x -= (normalCdf(x) - p) / normalPdf(x);
  return x;
}

/**
 * Student t CDF with `df` degrees of freedom: P(T ≤ t) = 1 − ½·I_{df/(df+t²)}(df/2, ½) for t > 0
 * (Abramowitz & Stegun 26.7.1 via 26.5.27). df = Infinity gives the normal CDF.
 */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTCdf: df must be > 0, got ${df}`);
  if (df === Infinity) return normalCdf(t);
  if (t === 0) return 0.5;
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

function studentTPdf(t: number, df: number): number {
  const logDensity = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df);
  return Math.exp(logDensity);
}

const T_QUANTILE_CACHE = new Map<string, number>();

/**
 * Student t quantile: Newton iterations on studentTCdf from the normal quantile, safeguarded by
 * bisection on an expanding bracket. Results are memoized (the function is pure).
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must lie in (0, 1), got ${p}`);
  if (df === Infinity) return normalQuantile(p);
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  const key = `${p}:${df}`;
  const cached = T_QUANTILE_CACHE.get(key);
  if (cached !== undefined) return cached;
  let low = 0;
  let high = Math.max(1, normalQuantile(p));
  while (studentTCdf(high, df) < p) high *= 2;
  let x = (low + high) / 2;
  for (let step = 0; step < 200; step += 1) {
    const residual = studentTCdf(x, df) - p;
    if (residual > 0) high = x;
    else low = x;
    const newton = x - residual / studentTPdf(x, df);
    const next = newton > low && newton < high ? newton : (low + high) / 2;
    if (Math.abs(next - x) <= 1e-15 * Math.max(1, x)) break;
    x = next;
  }
  T_QUANTILE_CACHE.set(key, x);
  return x;
}
