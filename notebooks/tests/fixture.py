"""The real runs the tests read: notebooks/testdata/results/ (see notebooks/testdata/README.md)."""
import os
import shutil
import tempfile
from pathlib import Path

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"
RESULTS = TESTDATA / "results"


def suite_run():
    runs = sorted(d for d in RESULTS.iterdir() if (d / "summary.csv").is_file())
    if not runs:
        raise AssertionError(f"no suite run under {RESULTS}")
    return runs[-1]


class ResultsDir:
    """WSSTUDY_RESULTS_DIR pointed at a folder for the duration of a test (a copy when asked)."""

    def __init__(self, path=RESULTS, copy=False):
        self.path, self.copy, self.tmp = Path(path), copy, None

    def __enter__(self):
        self.saved = {k: os.environ.get(k) for k in ("WSSTUDY_RESULTS_DIR", "WSSTUDY_RUN")}
        os.environ.pop("WSSTUDY_RUN", None)
        target = self.path
        if self.copy:
            self.tmp = tempfile.mkdtemp(prefix="wsstudy-nb-test-")
            target = Path(self.tmp) / "results"
            shutil.copytree(self.path, target)
        os.environ["WSSTUDY_RESULTS_DIR"] = str(target)
        return target

    def __exit__(self, *exc):
        for k, v in self.saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
