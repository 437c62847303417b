"""JMH results as ./wsstudy bench stores them (a real jmh.json in testdata/), and the target verdicts."""
import json
import math
import unittest

import pandas as pd

import wsstudy_jmh as wj
from tests.fixture import RESULTS


def jmh_run():
    runs = sorted(d for d in RESULTS.iterdir() if (d / "jmh.json").is_file())
    if not runs:
        raise AssertionError(f"no JMH run under {RESULTS}")
    return runs[-1]


class LoadTest(unittest.TestCase):
    def test_every_result_becomes_one_row_with_its_score_and_parameters(self):
        raw = json.loads((jmh_run() / "jmh.json").read_text())
        df = wj.load(jmh_run())
        self.assertEqual(len(df), len(raw))
        for r, (_, row) in zip(raw, df.iterrows()):
            self.assertEqual(row["score"], r["primaryMetric"]["score"])
            for k, v in (r.get("params") or {}).items():
                self.assertEqual(str(row["param:" + k]).removesuffix(".0"), v)

    def test_bytes_per_second_is_the_score_times_the_size_parameter(self):
        df = wj.load(jmh_run())
        sized = df[df["bytesPerOp"].notna()]
        self.assertGreater(len(sized), 0)
        pd.testing.assert_series_equal(sized["bytesPerSec"], sized["score"] * sized["bytesPerOp"], check_names=False)

    def test_a_missing_or_empty_jmh_json_is_an_empty_table(self):
        self.assertTrue(wj.load(None).empty)
        self.assertTrue(wj.load(RESULTS / "no-such-run").empty)


class TargetTest(unittest.TestCase):
    def row(self, score, lo, hi):
        return pd.Series({"score": score, "lo": lo, "hi": hi})

    def test_a_threshold_inside_the_error_range_is_too_close_to_call(self):
        r, lo, hi = wj.ratio(self.row(90, 85, 95), self.row(10, 9.5, 10.5))  # 8.1x to 10x
        self.assertEqual(wj.verdict(r, lo, hi, 8.0), "PASS")
        r, lo, hi = wj.ratio(self.row(90, 60, 120), self.row(10, 5, 15))
        self.assertEqual((round(lo, 2), hi), (4.0, 24.0))
        self.assertTrue(wj.verdict(r, lo, hi, 8.0).startswith("too close to call"))
        self.assertEqual(wj.verdict(0.5, 0.4, 0.6, 1.0), "MISS")

    def test_an_interval_below_zero_bounds_nothing(self):
        _, lo, hi = wj.ratio(self.row(90, -10, 190), self.row(10, -5, 25))
        self.assertEqual((lo, hi), (0.0, math.inf))

    def test_every_target_has_a_row_even_when_not_measured(self):
        t = wj.targets(pd.DataFrame(columns=["class", "method", "score"]))
        self.assertEqual(list(t["verdict"].unique()), ["not measured"])
        self.assertEqual(len(t), 4)


if __name__ == "__main__":
    unittest.main()
