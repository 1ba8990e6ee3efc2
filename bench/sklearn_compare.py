"""scikit-learn on exactly the split and features `npm run bench:ml` exported (bench/run-ml.ts).

Usage: python sklearn_compare.py <header.json>

The header (bench/ml.util.ts `ExportHeader`) names the float64 little-endian row-major arrays
next to it (X_train, y_train, X_test, y_test), the columns, the repeats and, per model, the
estimator and its parameters mapped from ours. Each model is fitted `repeats` times as
scikit-learn runs by default (its own thread count) and `repeats` times under
threadpool_limits(1); the fit is timed alone (predicting and scoring are not). Prints one JSON
object on stdout: versions, the machine's CPU count and, per model, test ROC AUC
(roc_auc_score), PR-AUC (average_precision_score), log loss, the median fit seconds of each kind
and the iterations.
"""

import json
import os
import platform
import statistics
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, log_loss, roc_auc_score
from sklearn.naive_bayes import CategoricalNB
from sklearn.preprocessing import KBinsDiscretizer
from threadpoolctl import threadpool_limits

# Quantile edges that repeat (a column where one value holds over a tenth of the rows) are kept
# once, as ours are; scikit-learn says so on every fit.
warnings.filterwarnings("ignore", message="Bins whose width are too small")


class BinnedCategoricalNB:
    """Our naive Bayes' counterpart: every column binned, then CategoricalNB.

    A column with at most n_bins distinct training values (the one-hot columns) gets one category
    per value, cut at the midpoints between neighbours as ours does; the others go through
    KBinsDiscretizer(n_bins, strategy="quantile") with numpy's linear quantiles (ours too). One
    more, empty, category per column: ours smooths every column over an empty missing-value bin.
    """

    def __init__(self, alpha, n_bins):
        self.alpha = alpha
        self.n_bins = n_bins

    def _codes(self, x):
        codes = np.empty(x.shape, dtype=np.int64)
        for j, edges in self.edges_.items():
            codes[:, j] = np.searchsorted(edges, x[:, j], side="left")
        if self.continuous_:
            codes[:, self.continuous_] = self.discretizer_.transform(x[:, self.continuous_])
        return codes

    def fit(self, x, y):
        self.edges_ = {}
        self.continuous_ = []
        categories = []
        for j in range(x.shape[1]):
            values = np.unique(x[:, j])
            if len(values) <= self.n_bins:
                self.edges_[j] = (values[:-1] + values[1:]) / 2
                categories.append(len(values))
            else:
                self.continuous_.append(j)
                categories.append(None)
        if self.continuous_:
            self.discretizer_ = KBinsDiscretizer(
                n_bins=self.n_bins,
                encode="ordinal",
                strategy="quantile",
                quantile_method="linear",
                subsample=None,
            ).fit(x[:, self.continuous_])
            for k, j in enumerate(self.continuous_):
                categories[j] = self.discretizer_.n_bins_[k]
        self.nb_ = CategoricalNB(alpha=self.alpha, min_categories=np.array(categories) + 1)
        self.nb_.fit(self._codes(x), y)
        return self

    def predict_proba(self, x):
        return self.nb_.predict_proba(self._codes(x))


def estimator(model):
    kind, params = model["kind"], model["params"]
    if kind == "logistic_regression":
        return LogisticRegression(
            C=np.inf if params["C"] is None else params["C"],
            max_iter=params["max_iter"],
            class_weight=params["class_weight"],
        )
    if kind == "hist_gradient_boosting":
        return HistGradientBoostingClassifier(**params)
    if kind == "binned_categorical_nb":
        return BinnedCategoricalNB(**params)
    raise ValueError(f"unknown estimator kind {kind}")


def iterations(fitted):
    n_iter = getattr(fitted, "n_iter_", None)
    if n_iter is None:
        return None
    return int(np.max(n_iter))


def timed_fits(model, x, y, repeats):
    seconds, fitted = [], None
    for _ in range(repeats):
        est = estimator(model)
        start = time.perf_counter()
        fitted = est.fit(x, y)
        seconds.append(time.perf_counter() - start)
    return fitted, seconds


def main(header_path):
    with open(header_path, encoding="utf-8") as f:
        header = json.load(f)
    folder = os.path.dirname(os.path.abspath(header_path))
    cols = header["cols"]

    def load(name, rows, width):
        data = np.fromfile(os.path.join(folder, header["files"][name]), dtype="<f8")
        return data.reshape(rows, width) if width else data

    x_train = load("xTrain", header["trainRows"], cols)
    y_train = load("yTrain", header["trainRows"], 0)
    x_test = load("xTest", header["testRows"], cols)
    y_test = load("yTest", header["testRows"], 0)
    repeats = header["repeats"]

    results = []
    for model in header["models"]:
        fitted, seconds = timed_fits(model, x_train, y_train, repeats)
        with threadpool_limits(limits=1):
            _, one_thread = timed_fits(model, x_train, y_train, repeats)
        p = fitted.predict_proba(x_test)[:, 1]
        results.append(
            {
                "key": model["key"],
                "estimator": type(fitted).__name__,
                "auc": float(roc_auc_score(y_test, p)),
                "prAuc": float(average_precision_score(y_test, p)),
                "logLoss": float(log_loss(y_test, p)),
                "fitSeconds": statistics.median(seconds),
                "fitSecondsRuns": seconds,
                "fitSecondsOneThread": statistics.median(one_thread),
                "nIter": iterations(fitted),
            }
        )
        print(f"[sklearn] {model['key']}: {results[-1]['estimator']} done", file=sys.stderr)

    json.dump(
        {
            "sklearn": sklearn.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "ompNumThreads": os.environ.get("OMP_NUM_THREADS"),
            "results": results,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main(sys.argv[1])
