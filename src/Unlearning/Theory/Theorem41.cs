namespace Unlearning.Theory;

/// <summary>
/// Every quantity of AMUN Theorem 4.1 for one case, on L2-regularised binary logistic regression
/// R(w) = Σᵢ log(1 + exp(−yᵢ w·xᵢ)) + (λ/2)‖w‖², where convexity and β-smoothness hold exactly.
/// </summary>
/// <param name="ThetaO">θ_o, the minimiser on D.</param>
/// <param name="ThetaU">θ_u, the minimiser on D ∖ {(x, y)}.</param>
/// <param name="ThetaPrime">θ′ = θ_o − (1/β)∇R̃(θ_o), one GD step on D′ = D ∪ {(x_adv, y_adv)}.</param>
/// <param name="Beta">β: λ_max(¼ Σ_{D′} x xᵀ) + λ, a smoothness constant of R̃.</param>
/// <param name="L">L = ‖θ_o‖: the Lipschitz constant in the input of the loss at θ_o.</param>
/// <param name="Delta">δ = ‖x − x_adv‖₂.</param>
/// <param name="C">C = ℓ(θ_o; x_adv, y) + ℓ(θ′; x_adv, y_adv) − ℓ(θ_u; x, y) − ℓ(θ_u; x_adv, y_adv).</param>
/// <param name="Dropped">
/// S, the terms the proof sets to zero under its near-zero-loss assumption: Σ_{i≠n} [ℓ(θ_u; xᵢ) − ℓ(θ′; xᵢ)] + the
/// regulariser's difference − ⟨∇ℓ(θ_o; x, y), θ′ − θ_o⟩. With them the bound is exact:
/// ‖θ′ − θ_u‖² ≤ ‖θ_o − θ_u‖² + (2/β)(Lδ − C + S).
/// </param>
public sealed record Theorem41Case(double[] ThetaO, double[] ThetaU, double[] ThetaPrime, double Beta, double L, double Delta, double C, double Dropped)
{
    /// <summary>‖θ′ − θ_u‖².</summary>
    public double Left => Theorem41.SquaredDistance(ThetaPrime, ThetaU);

    /// <summary>The bound as printed: ‖θ_o − θ_u‖² + (2/β)(Lδ − C).</summary>
    public double PrintedBound => Theorem41.SquaredDistance(ThetaO, ThetaU) + 2 / Beta * (L * Delta - C);

    /// <summary>The bound with the dropped terms made explicit (holds without the near-zero-loss assumption).</summary>
    public double ExactBound => PrintedBound + 2 / Beta * Dropped;
}

/// <summary>
/// AMUN Theorem 4.1, computed exactly on L2-regularised logistic regression: the minimisers are found by Newton's method
/// to a gradient norm of 1e-12·(1 + Σ‖xᵢ‖), x_adv is the closest point across θ_o's decision boundary (pushed past it by a margin κ),
/// y_adv = −y, and one gradient step with rate 1/β gives θ′.
/// </summary>
public static class Theorem41
{
    /// <summary>Logistic loss log(1 + e^(−y w·x)), computed stably.</summary>
    public static double Loss(double[] w, double[] x, int y)
    {
        double m = y * Dot(w, x);
        return m > 0 ? double.LogP1(Math.Exp(-m)) : -m + double.LogP1(Math.Exp(m));
    }

    /// <summary>Builds the theorem's quantities for forgetting sample <paramref name="forget"/> of (xs, ys).</summary>
    public static Theorem41Case Evaluate(double[][] xs, int[] ys, int forget, double lambda, double kappa = 0.1)
    {
        if (xs.Length < 2) throw new ArgumentException("need at least two samples");
        if (ys.Any(y => y != 1 && y != -1)) throw new ArgumentException("labels must be ±1");
        if (!(lambda > 0)) throw new ArgumentException("λ must be positive (strong convexity gives unique minimisers)");
        int d = xs[0].Length;
        var all = Enumerable.Range(0, xs.Length).ToArray();
        var rest = all.Where(i => i != forget).ToArray();
        var thetaO = Minimise(xs, ys, all, lambda, d);
        var thetaU = Minimise(xs, ys, rest, lambda, d);
        double[] x = xs[forget];
        int y = ys[forget];
        // x_adv: move x along −y·θ_o/‖θ_o‖ until y·θ_o·x_adv = −κ (misclassified, y_adv = −y).
        double norm2 = Dot(thetaO, thetaO);
        if (norm2 == 0) throw new ArgumentException("θ_o is zero: no decision boundary to cross");
        double shift = (y * Dot(thetaO, x) + kappa) / norm2;
        var xAdv = x.Select((v, j) => v - y * shift * thetaO[j]).ToArray();
        int yAdv = -y;
        double delta = Math.Sqrt(SquaredDistance(x, xAdv));
        // D′ = D ∪ {(x_adv, y_adv)}
        var xsP = xs.Append(xAdv).ToArray();
        var ysP = ys.Append(yAdv).ToArray();
        var allP = Enumerable.Range(0, xsP.Length).ToArray();
        double beta = MaxEigenvalue(QuarterScatter(xsP, d)) + lambda;
        var grad = Gradient(xsP, ysP, allP, lambda, thetaO);
        var thetaP = thetaO.Select((v, j) => v - grad[j] / beta).ToArray();
        double L = Math.Sqrt(norm2);
        double c = Loss(thetaO, xAdv, y) + Loss(thetaP, xAdv, yAdv) - Loss(thetaU, x, y) - Loss(thetaU, xAdv, yAdv);
        double dropped = rest.Sum(i => Loss(thetaU, xs[i], ys[i]) - Loss(thetaP, xs[i], ys[i]))
                         + lambda / 2 * (Dot(thetaU, thetaU) - Dot(thetaP, thetaP))
                         - Dot(SampleGradient(thetaO, x, y), thetaP.Select((v, j) => v - thetaO[j]).ToArray());
        return new Theorem41Case(thetaO, thetaU, thetaP, beta, L, delta, c, dropped);
    }

    /// <summary>The minimiser of the regularised loss over <paramref name="rows"/> (Newton's method with step halving).</summary>
    public static double[] Minimise(double[][] xs, int[] ys, int[] rows, double lambda, int d)
    {
        var w = new double[d];
        // The gradient cannot be resolved below the rounding of its largest terms: scale the tolerance by Σ‖xᵢ‖.
        double tolerance = 1e-12 * (1 + rows.Sum(i => Math.Sqrt(Dot(xs[i], xs[i]))));
        (double Gradient, double Decrement) last = (double.NaN, double.NaN);
        for (int iter = 0; iter < 200; iter++)
        {
            var g = Gradient(xs, ys, rows, lambda, w);
            if (Math.Sqrt(Dot(g, g)) < tolerance) return w;
            var h = new double[d, d];
            for (int j = 0; j < d; j++) h[j, j] = lambda;
            foreach (int i in rows)
            {
                double p = Sigmoid(ys[i] * Dot(w, xs[i]));
                double s = p * (1 - p);
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++) h[a, b] += s * xs[i][a] * xs[i][b];
            }
            var step = Solve(h, g);
            double current = Objective(xs, ys, rows, lambda, w), t = 1;
            // Newton decrement: gᵀH⁻¹g / 2 estimates R(w) − R(w*); below the rounding of R, w is the minimiser to machine precision.
            last = (Math.Sqrt(Dot(g, g)), Dot(g, step) / 2);
            if (last.Decrement <= 1e-15 * Math.Max(1, current)) return w;
            double[] next;
            do
            {
                next = w.Select((v, j) => v - t * step[j]).ToArray();
                t /= 2;
            } while (Objective(xs, ys, rows, lambda, next) > current && t > 1e-12);
            w = next;
        }
        throw new InvalidOperationException($"Newton's method did not reach a gradient norm of {tolerance:g2} in 200 iterations (last: ‖g‖ = {last.Gradient:g3}, decrement {last.Decrement:g3})");
    }

    private static double Objective(double[][] xs, int[] ys, int[] rows, double lambda, double[] w) =>
        rows.Sum(i => Loss(w, xs[i], ys[i])) + lambda / 2 * Dot(w, w);

    private static double[] Gradient(double[][] xs, int[] ys, int[] rows, double lambda, double[] w)
    {
        var g = w.Select(v => lambda * v).ToArray();
        foreach (int i in rows)
        {
            var gi = SampleGradient(w, xs[i], ys[i]);
            for (int j = 0; j < g.Length; j++) g[j] += gi[j];
        }
        return g;
    }

    private static double[] SampleGradient(double[] w, double[] x, int y)
    {
        double coef = -y * Sigmoid(-y * Dot(w, x));
        return x.Select(v => coef * v).ToArray();
    }

    private static double[,] QuarterScatter(double[][] xs, int d)
    {
        var m = new double[d, d];
        foreach (var x in xs)
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++) m[a, b] += 0.25 * x[a] * x[b];
        return m;
    }

    /// <summary>Largest eigenvalue of a symmetric positive semi-definite matrix (Jacobi rotations).</summary>
    public static double MaxEigenvalue(double[,] m)
    {
        int n = m.GetLength(0);
        var a = (double[,])m.Clone();
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) off += a[p, q] * a[p, q];
            if (off < 1e-30) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-300) continue;
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                }
        }
        double max = double.NegativeInfinity;
        for (int i = 0; i < n; i++) max = Math.Max(max, a[i, i]);
        return max;
    }

    private static double[] Solve(double[,] h, double[] g)
    {
        int n = g.Length;
        var a = (double[,])h.Clone();
        var b = (double[])g.Clone();
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            for (int k = 0; k < n; k++) (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
            (b[col], b[pivot]) = (b[pivot], b[col]);
            for (int r = col + 1; r < n; r++)
            {
                double f = a[r, col] / a[col, col];
                for (int k = col; k < n; k++) a[r, k] -= f * a[col, k];
                b[r] -= f * b[col];
            }
        }
        var x = new double[n];
        for (int r = n - 1; r >= 0; r--)
        {
            double s = b[r];
            for (int k = r + 1; k < n; k++) s -= a[r, k] * x[k];
            x[r] = s / a[r, r];
        }
        return x;
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    internal static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>‖a − b‖².</summary>
    public static double SquaredDistance(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return s;
    }
}
