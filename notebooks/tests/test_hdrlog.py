"""hdrlog against files written by the real loadgen (HdrHistogram 2.2.2): the decoded interval logs
must reproduce the loadgen's own summary exactly, and the percentile files must agree with them."""
import base64
import json
import struct
import unittest
import zlib

import hdrlog
from tests.fixture import TESTDATA, suite_run


def trials_with_logs():
    for summary in sorted(suite_run().glob("*/*/*/trial-*/summary.json")):
        d = summary.parent
        if (d / "latency-corrected.hlog").is_file():
            yield d, json.loads(summary.read_text())


def measured(trial_dir, kind, summary):
    """The intervals the summary covers: seconds warmupS .. warmupS+durationS-1 (docs/results-format.md)."""
    _, intervals = hdrlog.read_hlog(trial_dir / f"latency-{kind}.hlog")
    first, end = summary["warmupS"], summary["warmupS"] + summary["durationS"]
    return hdrlog.merge([h for h in intervals if first <= round(h.start_s) < end])


class VarintTest(unittest.TestCase):
    def test_zigzag_leb128_decodes_positive_counts_zero_runs_and_nine_byte_values(self):
        # zigzag(5)=10 -> 0x0a; zigzag(-3)=5 -> 0x05 (a run of 3 empty buckets); zigzag(300)=600 -> d8 04;
        # zigzag(2**62)=2**63 -> eight 0x80 continuation bytes then 0x80 carrying bit 63 in the 9th byte.
        buf = bytes([0x0A, 0x05, 0xD8, 0x04] + [0x80] * 8 + [0x80])
        self.assertEqual(list(hdrlog._varints(buf, 0, len(buf))), [5, -3, 300, 2 ** 62])

    def test_a_buffer_that_is_not_a_compressed_histogram_is_refused(self):
        junk = base64.b64encode(struct.pack(">ii", 0x12345678, 0) + zlib.compress(b"")).decode()
        with self.assertRaisesRegex(ValueError, "not a compressed V2 histogram"):
            hdrlog.decode(junk)


class LoadgenFilesTest(unittest.TestCase):
    def test_the_fixture_has_trials_with_interval_logs(self):
        self.assertGreaterEqual(len(list(trials_with_logs())), 5)

    def test_measured_intervals_reproduce_the_loadgen_summary_exactly(self):
        for d, s in trials_with_logs():
            for kind in ("corrected", "uncorrected"):
                h, want = measured(d, kind, s), s["latency"][kind]
                with self.subTest(trial=str(d.relative_to(suite_run())), kind=kind):
                    self.assertEqual(h.total, want["count"])
                    for key, pct in (("p50", 50), ("p90", 90), ("p99", 99), ("p999", 99.9), ("p9999", 99.99)):
                        self.assertEqual(h.value_at_percentile(pct), want[key], key)
                    self.assertEqual(h.max_value(), want["max"])
                    self.assertAlmostEqual(h.mean(), want["mean"], places=2)

    def test_every_percentile_file_row_matches_the_decoded_histogram(self):
        for d, s in trials_with_logs():
            for kind in ("corrected", "uncorrected"):
                h = measured(d, kind, s)
                rows, footer = hdrlog.read_percentiles(d / f"percentiles-{kind}.txt")
                with self.subTest(trial=str(d.relative_to(suite_run())), kind=kind):
                    self.assertEqual(footer["count"], h.total)
                    self.assertEqual(footer["max"], h.max_value())
                    self.assertTrue(rows)
                    for value, _, total in rows:
                        self.assertEqual(hdrlog.count_at_or_below(h, value), total, value)

    def test_interval_starts_are_whole_seconds_from_the_common_start(self):
        for d, _ in trials_with_logs():
            start, intervals = hdrlog.read_hlog(d / "latency-corrected.hlog")
            self.assertIsNotNone(start)
            self.assertEqual([round(h.start_s) for h in intervals], [h.start_s for h in intervals])


class PercentileFileTest(unittest.TestCase):
    def test_an_empty_histogram_gives_no_rows_and_a_zero_count(self):
        rows, footer = hdrlog.read_percentiles(TESTDATA / "empty-percentiles.txt")
        self.assertEqual(rows, [])
        self.assertEqual(footer["count"], 0)


if __name__ == "__main__":
    unittest.main()
