"""The monthly series' seasonal ARIMA with the Tết regressor, its conditional sum of squares
(CSS) minimised directly, the rest statsforecast's.

The model is a regression on the drift and the Tết days with AR(1) errors after the seasonal
difference. For a given AR coefficient φ its sum of squares is an ordinary least-squares
problem in the regression coefficients, solved in closed form; the minimum over φ is a
search along one axis (a grid over |φ| ≤ 2, narrowed three times to a step of 5e-8). The
library fits the model with those parameters (``Arima(fixed=…)``: its state space, residuals,
forecasts, intervals and ``forward``), σ² counted as for parameters it estimated itself.

statsforecast's own CSS fit minimises the same sum of squares by BFGS with numerical
gradients from φ = 0 and the OLS of the differenced series: ~130 evaluations a fit, most of a
month's ARIMA cost (benchmarks/README.md). Where it converges the parameters are the same
(the sum of squares equal to ten digits, σ² within 1e-10); on series of large figures
(budget revenue in đồng) it often stops short of the minimum, and where the sum of squares
has two valleys it finds the one nearer its start: there this fit has a lower sum of squares.
"""

from __future__ import annotations

import numpy as np
from statsforecast.arima import Arima, diff
from statsforecast.models import ARIMA
from statsforecast.utils import _ensure_float

# φ on the first grid (80 points, not φ = 1 where a drift's column vanishes: see _minimum);
# then each narrowing spans the best point's neighbours with 201 points (the step / 100)
GRID = np.linspace(-2.0, 2.0, 80)
NARROWINGS, POINTS = 3, 201


def _products(r0, r1, a0, a1) -> tuple:
    """The cross-products of ``(r0 − φ r1) − (a0 − φ a1) b``'s terms, the coefficients of
    its normal equations and sum of squares as polynomials in φ."""
    return (
        (a0.T @ a0, -(a0.T @ a1 + a1.T @ a0), a1.T @ a1),
        (a0.T @ r0, -(a0.T @ r1 + a1.T @ r0), a1.T @ r1),
        (r0 @ r0, -2 * (r0 @ r1), r1 @ r1),
    )


def _minimum(products: tuple, phis: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sum of squares of ``(r0 − φ r1) − (a0 − φ a1) b`` minimised over ``b``, for each φ
    of ``phis``: (sums of squares, their ``b``); a k × k solve each (k regressors)."""
    (g0, g1, g2), (c0, c1, c2), (s0, s1, s2) = products
    p = phis[:, None]
    gram = g0 + p[:, :, None] * g1 + (p**2)[:, :, None] * g2
    cross = c0 + p * c1 + p**2 * c2
    try:
        b = np.linalg.solve(gram, cross[:, :, None])[:, :, 0]
    except np.linalg.LinAlgError:  # at φ = 1 a drift after a difference is 0: no regressor
        b = (np.linalg.pinv(gram, hermitian=True) @ cross[:, :, None])[:, :, 0]
    return s0 + phis * s1 + phis**2 * s2 - np.einsum("gk,gk->g", cross, b), b


def css_optimum(
    y: np.ndarray, xreg: np.ndarray, d: int, seasonal_d: int, period: int
) -> tuple[float, np.ndarray] | None:
    """(φ, regression coefficients) minimising the CSS of an ARIMA(1, d, 0)(0, D, 0)_period
    regression of ``y`` on ``xreg`` (its columns as the library orders them); None where the
    regression is singular or too short (the library's own search then)."""
    w, z = y, xreg
    if d:
        w, z = diff(w, 1, d), diff(z, 1, d)
    if seasonal_d:
        w, z = diff(w, period, seasonal_d), diff(z, period, seasonal_d)
    # the first difference is the condition of AR(1): residuals from the second on
    if len(w) - 1 <= z.shape[1] + 1 or not np.isfinite(w).all() or not np.isfinite(z).all():
        return None
    products = _products(w[1:], w[:-1], z[1:], z[:-1])
    phis, step = GRID, GRID[1] - GRID[0]
    try:
        for _ in range(NARROWINGS + 1):
            sums, b = _minimum(products, phis)
            # ties (constant figures fit every φ alike) to the φ nearest 0, the library's start
            best = int(np.lexsort((np.abs(phis), sums))[0])
            phi = phis[best]
            phis = np.linspace(phi - step, phi + step, POINTS)
            step = phis[1] - phis[0]
    except np.linalg.LinAlgError:
        return None
    if not np.isfinite(sums[best]):
        return None
    return float(phi), b[best]


def _sigma2(model: dict) -> float:
    """σ² as ``statsforecast.arima.Arima`` estimates it for a fit whose parameters were all
    estimated (the residuals' sum of squares over the observations left after the differences,
    less the parameters and σ² itself): a fit with them given (``fixed``) counts none."""
    resid, arma = model["residuals"], model["arma"]
    known = np.flatnonzero(~np.isnan(resid))
    n = int(np.sum(~np.isnan(resid[known[0] : known[-1] + 1])))
    nstar = n - arma[5] - arma[6] * arma[4]
    npar = len(model["coef"]) + 1
    return float(np.nansum(resid**2) / (nstar - npar + 1))


class CSSARIMA(ARIMA):
    """statsforecast's ``ARIMA`` of order (1, d, 0)(0, D, 0) with a drift, by CSS, its
    parameters those of :func:`css_optimum` (the library's own search where there is none).
    ``fit`` and ``forecast`` give what ``ARIMA``'s give for those parameters, its ``forward``,
    ``predict`` and ``predict_in_sample`` are the library's; ``StatsForecast`` calls them as
    it calls ``ARIMA``'s."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        order, seasonal = self.order, self.seasonal_order
        if (order[0], order[2], *seasonal[::2]) != (1, 0, 0, 0) or self.method != "CSS":
            raise ValueError("CSS of an ARIMA(1, d, 0)(0, D, 0) only")
        if not self.include_drift or self.fixed or self.blambda is not None:
            raise ValueError("a drift, no fixed parameters, no Box-Cox")

    def _optimum(self, y: np.ndarray, X: np.ndarray | None) -> np.ndarray | None:
        """φ, the drift's and ``X``'s coefficients (the library's order of them), or None."""
        xreg = np.arange(1, len(y) + 1, dtype=np.float64).reshape(-1, 1)
        if X is not None:
            xreg = np.concatenate([xreg, np.asarray(X, dtype=np.float64)], axis=1)
        d, seasonal_d = self.order[1], self.seasonal_order[1]
        found = css_optimum(np.asarray(y, np.float64), xreg, d, seasonal_d, self.season_length)
        return None if found is None else np.concatenate([[found[0]], found[1]])

    def fit(self, y: np.ndarray, X: np.ndarray | None = None):
        y = _ensure_float(y)
        coefs = self._optimum(y, X)
        with np.errstate(invalid="ignore"):
            self.model_ = Arima(
                x=y,
                order=self.order,
                seasonal={"order": self.seasonal_order, "period": self.season_length},
                xreg=X,
                include_mean=self.include_mean,
                include_drift=self.include_drift,
                method=self.method,
                fixed=coefs,
            )
        if coefs is not None:
            self.model_["sigma2"] = _sigma2(self.model_)
        self._store_cs(y=y, X=X)
        return self

    def forecast(
        self,
        y: np.ndarray,
        h: int,
        X: np.ndarray | None = None,
        X_future: np.ndarray | None = None,
        level: list[int] | None = None,
        fitted: bool = False,
    ) -> dict:
        model = self.new().fit(y, X)
        res = model.predict(h=h, X=X_future, level=level)
        return {**res, **model.predict_in_sample(level=level)} if fitted else res

    def forward(
        self,
        y: np.ndarray,
        h: int,
        X: np.ndarray | None = None,
        X_future: np.ndarray | None = None,
        level: list[int] | None = None,
        fitted: bool = False,
    ) -> dict:
        """The library's ``forward``; on the figures the model was fitted on (the backtest's
        first window, ``refit=False``) its ``predict``, which is what the library's forward
        gives there (the same parameters fitted to the same figures again, a third of the
        backtest's ARIMA cost)."""
        mine = self.model_
        same = (
            not fitted
            and len(y) == len(mine["x"])
            and np.array_equal(y, mine["x"])
            and np.array_equal(X, mine["xreg"][:, 1:] if X is not None else None)
        )
        if not same:
            return super().forward(y=y, h=h, X=X, X_future=X_future, level=level, fitted=fitted)
        # on a copy: the library's forecast of constant figures leaves the drift's name
        # changed in the model it forecasts from (its forward then fails)
        twin = self.new()
        twin.model_ = {**mine, "coef": dict(mine["coef"])}
        return twin.predict(h=h, X=X_future, level=level)
