"""Run folders: finding them, loading them, reducing trials to cells, surviving missing pieces."""
import os
import unittest

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import wsstudy_compare as wc  # noqa: E402
import wsstudy_plots as wp  # noqa: E402
import wsstudy_results as wr  # noqa: E402
import wsstudy_text as wt  # noqa: E402
from tests.fixture import ResultsDir, suite_run  # noqa: E402


def trial(server, status="ok", p99=None, cell="rate=1000", trial_no=1, reason=""):
    return {"suite": "t", "scenario": "echo-rate", "scenarioType": "echo-rate", "server": server, "cell": cell,
            "trial": trial_no, "status": status, "failureReason": reason, "dir": "", "latency.corrected.p99": p99}


class FindRunTest(unittest.TestCase):
    def test_the_newest_suite_run_is_the_default_and_the_environment_overrides_it(self):
        with ResultsDir():
            self.assertEqual(wr.find_run().name, suite_run().name)
            os.environ["WSSTUDY_RUN"] = suite_run().name
            self.assertEqual(wr.find_run(suite="no-such-suite").name, suite_run().name)

    def test_a_given_run_that_does_not_exist_is_a_clear_error(self):
        with ResultsDir():
            with self.assertRaisesRegex(FileNotFoundError, "run folder 'nope' not found"):
                wr.find_run("nope")

    def test_no_run_at_all_gives_none_and_an_empty_run(self):
        with ResultsDir():
            self.assertIsNone(wr.find_run(suite="no-such-suite"))
        run = wr.Run(None)
        self.assertTrue(run.trials.empty)
        self.assertIn("no run", run.conditions_text())

    def test_same_second_runs_sort_after_their_first(self):
        self.assertEqual(wr._suite_and_suffix("quick-2"), ("quick", 2))
        self.assertEqual(wr._suite_and_suffix("jmh-short"), ("jmh-short", 1))


class LoadTest(unittest.TestCase):
    def test_summary_csv_loads_with_numeric_metrics_and_every_trial(self):
        run = wr.Run(suite_run())
        self.assertGreater(len(run.trials), 0)
        ok = run.trials[run.trials["status"] != "failed"]
        self.assertTrue(pd.api.types.is_numeric_dtype(run.trials["latency.corrected.p99"]))
        self.assertTrue(ok["latency.corrected.p99"].notna().all())

    def test_a_run_without_summary_csv_is_rebuilt_from_its_trial_folders(self):
        with ResultsDir(copy=True) as results:
            original = wr.Run(results / suite_run().name)
            (results / suite_run().name / "summary.csv").unlink()
            rebuilt = wr.Run(results / suite_run().name)
        key = ["scenario", "server", "cell", "trial"]
        a = original.trials.set_index(key).sort_index()
        b = rebuilt.trials.set_index(key).sort_index()
        self.assertEqual(list(a.index), list(b.index))
        self.assertEqual(list(a["status"]), list(b["status"]))
        pd.testing.assert_series_equal(a["latency.corrected.p99"], b["latency.corrected.p99"].astype(float),
                                       check_names=False)

    def test_a_trial_with_its_files_deleted_yields_none_and_a_visible_note(self):
        with ResultsDir(copy=True) as results:
            run = wr.Run(results / suite_run().name)
            row = run.trials[run.trials["status"] != "failed"].iloc[0]
            for f in run.trial_dir(row).iterdir():
                f.unlink()
            self.assertIsNone(run.percentiles(row))
            self.assertIsNone(run.hlog(row))
            self.assertIsNone(run.timeline(row))
            fig, ax = plt.subplots()
            notes, drawn = wp.spectrum_panel(ax, run, run.trials.loc[[row.name]])
            plt.close(fig)
        self.assertFalse(drawn)
        self.assertIn("no percentiles-corrected.txt", notes[0])


class CellsTest(unittest.TestCase):
    def test_failed_trials_are_left_out_and_flag_the_cell(self):
        df = pd.DataFrame([trial("eventloop", p99=100.0), trial("eventloop", p99=300.0, trial_no=2),
                           trial("eventloop", "failed", reason="server did not start", trial_no=3),
                           trial("threaded", "failed", reason="boom")])
        c = wr.cells(df, ["latency.corrected.p99"]).set_index("server")
        self.assertEqual(c.loc["eventloop", "latency.corrected.p99"], 200.0)
        self.assertEqual(c.loc["eventloop", "latency.corrected.p99:n"], 2)
        self.assertEqual(c.loc["eventloop", "flag"], "some trials failed")
        self.assertEqual(c.loc["threaded", "latency.corrected.p99:n"], 0)
        self.assertEqual(c.loc["threaded", "flag"], "failed")
        self.assertEqual(c.loc["threaded", "cell:rate"], 1000.0)

    def test_a_bottleneck_trial_keeps_its_numbers_but_flags_the_cell(self):
        df = pd.DataFrame([trial("eventloop", "loadgen-bottleneck", p99=5.0)])
        c = wr.cells(df, ["latency.corrected.p99"]).iloc[0]
        self.assertEqual((c["latency.corrected.p99"], c["flag"]), (5.0, "loadgen-bottleneck"))

    def test_a_rate_is_sustained_only_with_p99_at_most_10_ms_no_errors_and_90_percent_achieved(self):
        base = {"flag": "", "latency.corrected.p99": 9000.0, "achievedRate": 950.0, "errors": 0.0,
                "offeredRate": 1000.0, "cell:rate": 1000.0}
        self.assertEqual(wr.sustained(pd.Series(base), "cell:rate"), (True, ""))
        self.assertFalse(wr.sustained(pd.Series({**base, "latency.corrected.p99": 10001.0}), "cell:rate")[0])
        self.assertFalse(wr.sustained(pd.Series({**base, "achievedRate": 899.0}), "cell:rate")[0])
        self.assertFalse(wr.sustained(pd.Series({**base, "errors": 1.0}), "cell:rate")[0])
        self.assertFalse(wr.sustained(pd.Series({**base, "flag": "loadgen-bottleneck"}), "cell:rate")[0])


class JitterTextTest(unittest.TestCase):
    def test_the_machine_jitter_baseline_is_stated_with_each_cpu_and_a_failed_probe_named(self):
        run = wr.Run(suite_run())
        run.info = dict(run.info, machineJitter={"durationS": 5, "perCpu": [
            {"cpu": 0, "role": "loadgen", "p99Us": 71, "maxUs": 3400, "stallsOver1ms": 2},
            {"cpu": 1, "role": "server", "error": "taskset failed"}]})
        text = run.conditions_text()
        self.assertIn("Machine jitter before the run (a 1 ms sleep loop, 5 s per CPU", text)
        self.assertIn("CPU 0 (loadgen) p99 71 µs, max 3.4 ms, 2 stalls ≥ 1 ms", text)
        self.assertIn("CPU 1 (server) not measured (taskset failed)", text)

    def test_a_run_without_the_baseline_says_nothing_about_it(self):
        run = wr.Run(suite_run())
        run.info = {k: v for k, v in run.info.items() if k != "machineJitter"}
        self.assertNotIn("Machine jitter", run.conditions_text())


class TextTest(unittest.TestCase):
    def sentence(self, rows):
        c = wr.cells(pd.DataFrame(rows), ["latency.corrected.p99"])
        return wt.lead_sentence("echo-rate", "rate=1000", c, "latency.corrected.p99")

    def test_one_trial_each_means_the_spread_is_unknown(self):
        s = self.sentence([trial("eventloop", p99=1000.0), trial("threaded", p99=2000.0)])
        self.assertIn("eventloop best at 1.00 ms, 2.00× lower than threaded (2.00 ms)", s)
        self.assertIn("one trial, spread unknown", s)

    def test_overlapping_trial_ranges_are_too_noisy_and_separate_ones_are_clear(self):
        noisy = [trial("eventloop", p99=1000.0), trial("eventloop", p99=2500.0, trial_no=2),
                 trial("threaded", p99=2000.0), trial("threaded", p99=3000.0, trial_no=2)]
        self.assertIn("too noisy to conclude", self.sentence(noisy))
        clear = [trial("eventloop", p99=1000.0), trial("eventloop", p99=1100.0, trial_no=2),
                 trial("threaded", p99=2000.0), trial("threaded", p99=3000.0, trial_no=2)]
        self.assertIn("clear", self.sentence(clear))

    def test_a_flagged_leader_is_never_a_result(self):
        s = self.sentence([trial("eventloop", "loadgen-bottleneck", p99=1000.0), trial("threaded", p99=2000.0)])
        self.assertIn("not conclusive", s)

    def test_equal_numbers_are_a_tie_not_a_lead(self):
        s = self.sentence([trial("eventloop", p99=1000.0), trial("threaded", p99=1000.0), trial("virtualthread", p99=3000.0)])
        self.assertIn("eventloop, threaded tie at 1.00 ms; virtualthread 3.00 ms", s)

    def test_servers_without_numbers_are_named(self):
        s = self.sentence([trial("eventloop", p99=1000.0), trial("threaded", "failed")])
        self.assertIn("only eventloop has numbers", s)
        self.assertIn("no numbers from threaded", s)


class CompareTest(unittest.TestCase):
    def verdict(self, a, b):
        ca = wr.cells(pd.DataFrame([trial("eventloop", p99=v, trial_no=i) for i, v in enumerate(a)]),
                      ["latency.corrected.p99"])
        cb = wr.cells(pd.DataFrame([trial("eventloop", p99=v, trial_no=i) for i, v in enumerate(b)]),
                      ["latency.corrected.p99"])
        m = ca.merge(cb, on=wc.KEY, suffixes=("@A", "@B"))
        return wc.verdict(m.iloc[0], "latency.corrected.p99")

    def test_a_change_is_real_only_when_the_trial_ranges_do_not_overlap(self):
        self.assertEqual(self.verdict([100, 110], [200, 210]), "real")
        self.assertEqual(self.verdict([100, 210], [200, 230]), "within noise")
        self.assertEqual(self.verdict([100], [200, 210]), "noise unknown")


if __name__ == "__main__":
    unittest.main()
