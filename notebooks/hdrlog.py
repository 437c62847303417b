"""Reading HdrHistogram output with Python's standard library only.

Two formats, both written by the loadgen (docs/results-format.md):

* ``percentiles-*.txt``: ``Histogram.outputPercentileDistribution`` text. Exact: these are the
  numbers the loadgen's summary.json quotes, so the spectrum plots use them.
* ``*.hlog``: HdrHistogram interval logs (log format 1.3). Each line after the header is
  ``start,length,max,HISTF...`` where the last field is a base64, zlib-compressed histogram in the
  V2 encoding: a 40-byte big-endian header (cookie, payload length, normalizing index offset,
  significant digits, lowest discernible value, highest trackable value, int-to-double ratio) and
  then the counts array as ZigZag LEB128 varints, where a negative number -n stands for n empty
  buckets. Decoding it gives the per-second histograms: warm-up, GC pauses and stalls over time.

Values are integers in the unit the loadgen recorded (microseconds).
"""
import base64
import bisect
import itertools
import math
import re
import struct
import zlib
from dataclasses import dataclass, field

_V2_COOKIE = 0x1C849303
_V2_COMPRESSED_COOKIE = 0x1C849304


@dataclass
class Histogram:
    """Counts of one HdrHistogram, indexed the way HdrHistogram indexes its buckets."""
    lowest: int
    highest: int
    digits: int
    counts: list
    start_s: float = 0.0      # interval start, seconds after the log's base time
    length_s: float = 0.0
    tag: str = None
    _unit_mag: int = field(init=False, repr=False)
    _half_mag: int = field(init=False, repr=False)

    def __post_init__(self):
        largest_single = 2 * 10 ** self.digits
        sub_bucket_count_mag = math.ceil(math.log2(largest_single))
        self._half_mag = max(sub_bucket_count_mag, 1) - 1
        self._unit_mag = int(math.floor(math.log2(self.lowest)))

    @property
    def total(self):
        return sum(self.counts)

    def _bucket(self, index):
        """(bucket index, sub-bucket index) of a counts index."""
        half = 1 << self._half_mag
        bucket = (index >> self._half_mag) - 1
        sub = (index & (half - 1)) + half
        if bucket < 0:
            sub -= half
            bucket = 0
        return bucket, sub

    def lowest_value(self, index):
        bucket, sub = self._bucket(index)
        return sub << (bucket + self._unit_mag)

    def highest_value(self, index):
        """Largest value that lands in this bucket (what HdrHistogram reports for a percentile)."""
        bucket, _ = self._bucket(index)
        return self.lowest_value(index) + (1 << (bucket + self._unit_mag)) - 1

    def value_at_percentile(self, percentile):
        """Same rule as HdrHistogram's getValueAtPercentile: first bucket whose running count reaches it."""
        running = list(itertools.accumulate(self.counts))
        total = running[-1] if running else 0
        if total == 0:
            return 0
        requested = min(max(math.nextafter(percentile, -math.inf), 0.0), 100.0)
        target = max(math.ceil(requested / 100.0 * total), 1)
        i = bisect.bisect_left(running, target)
        return self.lowest_value(i) if percentile == 0.0 else self.highest_value(i)

    def max_value(self):
        for i in range(len(self.counts) - 1, -1, -1):
            if self.counts[i]:
                return self.highest_value(i)
        return 0

    def mean(self):
        total = self.total
        if total == 0:
            return float("nan")
        # HdrHistogram's mean uses each bucket's median equivalent value.
        acc = 0
        for i, c in enumerate(self.counts):
            if c:
                lo = self.lowest_value(i)
                acc += c * (lo + (self.highest_value(i) - lo + 1) // 2)
        return acc / total

    def add(self, other):
        if (other.lowest, other.digits) != (self.lowest, self.digits):
            raise ValueError("cannot add histograms of different precision")
        if len(other.counts) > len(self.counts):
            self.counts.extend([0] * (len(other.counts) - len(self.counts)))
        for i, c in enumerate(other.counts):
            self.counts[i] += c
        return self


def _varints(buf, pos, end):
    """HdrHistogram's ZigZag LEB128: up to 9 bytes, the 9th contributing all 8 of its bits."""
    while pos < end:
        value = 0
        for shift in range(0, 63, 7):
            b = buf[pos]
            pos += 1
            if shift == 56:
                value |= b << 56
                break
            value |= (b & 0x7F) << shift
            if not b & 0x80:
                break
        yield (value >> 1) ^ -(value & 1)


def decode(encoded):
    """Decodes one base64 ``HISTF...`` field (compressed V2 encoding) into a Histogram."""
    raw = base64.b64decode(encoded)
    cookie, length = struct.unpack(">ii", raw[:8])
    # The low nibble of the second byte carries the word size; HdrHistogram masks it off too.
    if cookie & ~0xF0 != _V2_COMPRESSED_COOKIE:
        raise ValueError(f"not a compressed V2 histogram (cookie {cookie:#x})")
    inner = zlib.decompress(raw[8:8 + length])
    cookie, payload, offset, digits, lowest, highest, _ratio = struct.unpack(">iiiiqqd", inner[:40])
    if cookie & ~0xF0 != _V2_COOKIE:
        raise ValueError(f"not a V2 histogram encoding (cookie {cookie:#x})")
    if offset != 0:
        raise ValueError("shifted histograms (normalizing index offset != 0) are not supported")
    counts = []
    for v in _varints(inner, 40, 40 + payload):
        if v < 0:
            counts.extend([0] * -v)
        else:
            counts.append(v)
    return Histogram(lowest=lowest, highest=highest, digits=digits, counts=counts)


_START = re.compile(r"#\[StartTime: ([0-9.]+)")


def read_hlog(path):
    """(start time in epoch seconds or None, [Histogram per interval line]) of an interval log."""
    start, intervals = None, []
    with open(path, encoding="ascii") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            if line.startswith("#"):
                m = _START.match(line)
                if m:
                    start = float(m.group(1))
                continue
            if line.startswith('"StartTimestamp"'):
                continue
            fields = line.split(",")
            tag = None
            if fields[0].startswith("Tag="):
                tag = fields.pop(0)[4:]
            h = decode(fields[3])
            h.start_s, h.length_s, h.tag = float(fields[0]), float(fields[1]), tag
            intervals.append(h)
    return start, intervals


def merge(histograms):
    """The sum of several histograms (e.g. the measured intervals), or None when there are none."""
    out = None
    for h in histograms:
        if out is None:
            out = Histogram(h.lowest, h.highest, h.digits, list(h.counts), h.start_s, h.length_s)
        else:
            out.add(h)
            out.length_s = h.start_s + h.length_s - out.start_s
    return out


def read_percentiles(path):
    """Rows of an ``outputPercentileDistribution`` file and its footer.

    Returns (rows, footer): rows is a list of (value, percentile 0..1, total count) and footer a
    dict with mean, stddev, max and count. An empty histogram gives no rows and count 0.
    """
    rows, footer = [], {}
    with open(path, encoding="ascii") as f:
        for line in f:
            s = line.strip()
            if not s or s.startswith("Value"):
                continue
            if s.startswith("#["):
                for key, val in re.findall(r"([A-Za-z][A-Za-z ]*?)\s*=\s*([-0-9.eEnaNIfity]+)", s):
                    footer[key.strip().lower().replace(" ", "")] = float(val)
                continue
            parts = s.split()
            rows.append((float(parts[0]), float(parts[1]), int(parts[2])))
    footer = {"mean": footer.get("mean"), "stddev": footer.get("stddeviation"),
              "max": footer.get("max"), "count": int(footer.get("totalcount", 0))}
    return rows, footer


def count_at_or_below(h, value):
    """How many recorded values lie in buckets whose range ends at or below value."""
    tops = [(h.highest_value(i), c) for i, c in enumerate(h.counts) if c]
    running = list(itertools.accumulate(c for _, c in tops))
    k = bisect.bisect_right([t for t, _ in tops], value)
    return running[k - 1] if k else 0
