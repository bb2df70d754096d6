package io.visionplatform.vision.metrics;

/**
 * The few numpy 1.24 operations the Ultralytics metrics use, with numpy's own semantics where they change results:
 * {@code argsort} (the default, unstable introsort, so ties end up where numpy puts them), {@code interp} (including
 * which of several equal {@code xp} values is used), {@code linspace}, and the pairwise summation behind
 * {@code sum}/{@code mean}/{@code trapz}.
 */
final class NumpyOps {

    /** numpy's {@code SMALL_QUICKSORT}: partitions with {@code pr - pl} up to this are insertion-sorted. */
    private static final int SMALL_QUICKSORT = 15;
    /** numpy's {@code PW_BLOCKSIZE} for pairwise summation. */
    private static final int PW_BLOCKSIZE = 128;

    private NumpyOps() {
    }

    /** numpy's ordering for floating values: NaN sorts last. */
    private static boolean less(double a, double b) {
        return a < b || (b != b && a == a);
    }

    /**
     * {@code np.argsort(v)} with the default {@code kind='quicksort'}: numpy's introsort (median-of-3 quicksort,
     * insertion sort for small partitions, heapsort past the depth limit). Not stable; reproduced so that ties are
     * ordered exactly as numpy orders them.
     */
    static int[] argsort(double[] v) {
        int num = v.length;
        int[] tosort = new int[num];
        for (int i = 0; i < num; i++) {
            tosort[i] = i;
        }
        if (num < 2) {
            return tosort;
        }
        int[] stack = new int[256];
        int[] depthStack = new int[128];
        int sptr = 0;
        int psdepth = 0;
        int pl = 0;
        int pr = num - 1;
        int cdepth = msb(num) * 2;
        for (;;) {
            boolean heapSorted = false;
            if (cdepth < 0) {
                aheapsort(v, tosort, pl, pr - pl + 1);
                heapSorted = true;
            } else {
                while (pr - pl > SMALL_QUICKSORT) {
                    int pm = pl + ((pr - pl) >> 1);
                    if (less(v[tosort[pm]], v[tosort[pl]])) {
                        swap(tosort, pm, pl);
                    }
                    if (less(v[tosort[pr]], v[tosort[pm]])) {
                        swap(tosort, pr, pm);
                    }
                    if (less(v[tosort[pm]], v[tosort[pl]])) {
                        swap(tosort, pm, pl);
                    }
                    double vp = v[tosort[pm]];
                    int pi = pl;
                    int pj = pr - 1;
                    swap(tosort, pm, pj);
                    for (;;) {
                        do {
                            ++pi;
                        } while (less(v[tosort[pi]], vp));
                        do {
                            --pj;
                        } while (less(vp, v[tosort[pj]]));
                        if (pi >= pj) {
                            break;
                        }
                        swap(tosort, pi, pj);
                    }
                    int pk = pr - 1;
                    swap(tosort, pi, pk);
                    // push the larger partition, continue with the smaller one
                    if (pi - pl < pr - pi) {
                        stack[sptr++] = pi + 1;
                        stack[sptr++] = pr;
                        pr = pi - 1;
                    } else {
                        stack[sptr++] = pl;
                        stack[sptr++] = pi - 1;
                        pl = pi + 1;
                    }
                    depthStack[psdepth++] = --cdepth;
                }
            }
            if (!heapSorted) {
                for (int pi = pl + 1; pi <= pr; ++pi) {
                    int vi = tosort[pi];
                    double vv = v[vi];
                    int pj = pi;
                    int pk = pi - 1;
                    while (pj > pl && less(vv, v[tosort[pk]])) {
                        tosort[pj--] = tosort[pk--];
                    }
                    tosort[pj] = vi;
                }
            }
            if (sptr == 0) {
                break;
            }
            pr = stack[--sptr];
            pl = stack[--sptr];
            cdepth = depthStack[--psdepth];
        }
        return tosort;
    }

    /** numpy's {@code aheapsort} on {@code tosort[offset .. offset + n)}. */
    private static void aheapsort(double[] v, int[] tosort, int offset, int n) {
        // 1-based heap indexing: a[k] is tosort[offset + k - 1]
        int base = offset - 1;
        for (int l = n >> 1; l > 0; --l) {
            siftDown(v, tosort, base, tosort[base + l], l, n);
        }
        for (; n > 1;) {
            int tmp = tosort[base + n];
            tosort[base + n] = tosort[base + 1];
            n -= 1;
            siftDown(v, tosort, base, tmp, 1, n);
        }
    }

    /** Sinks {@code tmp} from heap slot {@code i} (1-based) into the max-heap {@code tosort[base + 1 .. base + n]}. */
    private static void siftDown(double[] v, int[] tosort, int base, int tmp, int i, int n) {
        for (int j = i << 1; j <= n;) {
            if (j < n && less(v[tosort[base + j]], v[tosort[base + j + 1]])) {
                j++;
            }
            if (less(v[tmp], v[tosort[base + j]])) {
                tosort[base + i] = tosort[base + j];
                i = j;
                j += j;
            } else {
                break;
            }
        }
        tosort[base + i] = tmp;
    }

    private static int msb(int n) {
        int depth = 0;
        while ((n >>= 1) != 0) {
            depth++;
        }
        return depth;
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** {@code np.linspace(start, stop, num)} (endpoint included): {@code k * step + start}, last value exactly stop. */
    static double[] linspace(double start, double stop, int num) {
        double[] y = new double[num];
        if (num == 1) {
            y[0] = start;
            return y;
        }
        double step = (stop - start) / (num - 1);
        for (int k = 0; k < num; k++) {
            y[k] = k * step + start;
        }
        y[num - 1] = stop;
        return y;
    }

    /**
     * {@code np.interp(x, xp, fp, left, right)}: {@code xp} must be non-decreasing. Where {@code xp} repeats a value,
     * numpy uses the last of the equal points; {@code x == xp[last]} gives {@code fp[last]}.
     */
    static double[] interp(double[] x, double[] xp, double[] fp, double left, double right) {
        int lenxp = xp.length;
        if (lenxp == 0 || fp.length != lenxp) {
            throw new IllegalArgumentException("xp and fp must have the same, non-zero length");
        }
        double[] res = new double[x.length];
        if (lenxp == 1) {
            for (int i = 0; i < x.length; i++) {
                double xv = x[i];
                res[i] = xv < xp[0] ? left : (xv > xp[0] ? right : fp[0]);
            }
            return res;
        }
        for (int i = 0; i < x.length; i++) {
            double xv = x[i];
            if (Double.isNaN(xv)) {
                res[i] = xv;
                continue;
            }
            if (xv > xp[lenxp - 1]) {
                res[i] = right;
                continue;
            }
            if (xv < xp[0]) {
                res[i] = left;
                continue;
            }
            int j = lastNotAbove(xp, xv);
            if (j == lenxp - 1 || xp[j] == xv) {
                res[i] = fp[j];
            } else {
                double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
                double r = slope * (xv - xp[j]) + fp[j];
                if (Double.isNaN(r)) {
                    r = slope * (xv - xp[j + 1]) + fp[j + 1];
                    if (Double.isNaN(r) && fp[j] == fp[j + 1]) {
                        r = fp[j];
                    }
                }
                res[i] = r;
            }
        }
        return res;
    }

    /** The largest index {@code j} with {@code a[j] <= key}, for sorted {@code a} with {@code a[0] <= key}. */
    private static int lastNotAbove(double[] a, double key) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = lo + ((hi - lo) >> 1);
            if (key >= a[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }

    /** {@code np.add.reduce} of a contiguous float64 range: numpy's pairwise summation, starting from 0. */
    static double sum(double[] a) {
        return a.length == 0 ? 0.0 : 0.0 + pairwiseSum(a, 0, a.length);
    }

    /** {@code np.mean} of a contiguous float64 array. */
    static double mean(double[] a) {
        return sum(a) / a.length;
    }

    private static double pairwiseSum(double[] a, int off, int n) {
        if (n < 8) {
            double res = 0.;
            for (int i = 0; i < n; i++) {
                res += a[off + i];
            }
            return res;
        }
        if (n <= PW_BLOCKSIZE) {
            double[] r = new double[8];
            for (int j = 0; j < 8; j++) {
                r[j] = a[off + j];
            }
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[off + i + j];
                }
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                res += a[off + i];
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return pairwiseSum(a, off, n2) + pairwiseSum(a, off + n2, n - n2);
    }

    /** {@code np.trapz(y, x)}: {@code sum(diff(x) * (y[1:] + y[:-1]) / 2.0)}. */
    static double trapz(double[] y, double[] x) {
        if (y.length != x.length) {
            throw new IllegalArgumentException("x and y differ in length");
        }
        if (y.length < 2) {
            return 0.0;
        }
        double[] terms = new double[y.length - 1];
        for (int k = 0; k < terms.length; k++) {
            terms[k] = (x[k + 1] - x[k]) * (y[k + 1] + y[k]) / 2.0;
        }
        return sum(terms);
    }
}
