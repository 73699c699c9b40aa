"""Bounded aggregation: tables that keep the heaviest keys, time buckets that widen.

A multi-GB EVE file can name millions of GTs; the report keeps at most `capacity` of them.
When a table reaches twice its capacity it drops the lighter half at once (amortised
O(log n) per insert) and counts the keys it dropped, so the report can say that the figures
of the smaller entries are lower bounds.
"""
import datetime

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


class TopTable:
	"""Keyed records with a weight; the lightest are dropped beyond 2 x capacity."""

	def __init__(self, capacity, new, weight):
		self.capacity = capacity
		self.new = new
		self.weight = weight
		self.items = {}
		self.dropped_keys = 0

	def get(self, key):
		rec = self.items.get(key)
		if rec is None:
			if len(self.items) >= 2 * self.capacity:
				self._shrink()
			rec = self.items[key] = self.new(key)
		return rec

	def _shrink(self):
		keep = sorted(self.items.items(), key=lambda kv: self.weight(kv[1]), reverse=True)
		for _, rec in keep[self.capacity:]:
			self.dropped_keys += 1
		self.items = dict(keep[:self.capacity])

	def top(self, n, key=None):
		return sorted(self.items.values(), key=key or self.weight, reverse=True)[:n]

	def __len__(self):
		return len(self.items)


class Counter:
	"""A bounded counter of names (rules, countries, operations): other names go to '(other)'."""

	OTHER = '(other)'

	def __init__(self, capacity=4096):
		self.capacity = capacity
		self.counts = {}

	def add(self, name, n=1):
		if name not in self.counts and len(self.counts) >= self.capacity:
			name = self.OTHER
		self.counts[name] = self.counts.get(name, 0) + n

	def total(self):
		return sum(self.counts.values())


# Bucket widths, each a multiple of the one before, so buckets merge exactly when widening.
WIDTHS = (1, 5, 15, 30, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400,
	  7 * 86400)
# Monday 1970-01-05: weeks start on Monday; a multiple of every width up to a day
ORIGIN = 4 * 86400


def width_name(w):
	for unit, s in (('week', 7 * 86400), ('day', 86400), ('h', 3600), ('min', 60)):
		if w % s == 0:
			n = w // s
			return ('%d %s' % (n, unit)) if n > 1 or unit in ('h', 'min') else unit
	return '%d s' % w


class Buckets:
	"""Counts per time bucket and series; the width grows so there are at most max_buckets."""

	def __init__(self, max_buckets=400, width=60):
		self.max = max_buckets
		self.width = width
		self.data = {}	# bucket index -> {series: count}

	def add(self, t, series, n=1):
		b = (int(t) - ORIGIN) // self.width
		row = self.data.get(b)
		if row is None:
			if len(self.data) >= self.max and not self._fits(b):
				self._widen(b)
				b = (int(t) - ORIGIN) // self.width
				row = self.data.get(b)
			if row is None:
				row = self.data[b] = {}
		row[series] = row.get(series, 0) + n

	def _fits(self, b):
		lo = min(self.data)
		hi = max(self.data)
		return max(hi, b) - min(lo, b) < self.max

	def _widen(self, b):
		"""Next widths until the span from the first bucket to b fits."""
		lo = min(min(self.data), b) * self.width
		hi = max(max(self.data), b) * self.width
		i = WIDTHS.index(self.width) if self.width in WIDTHS else 0
		while i + 1 < len(WIDTHS) and (hi - lo) // WIDTHS[i] >= self.max:
			i += 1
		self._rebucket(WIDTHS[i])

	def _rebucket(self, w):
		if w == self.width:
			return
		merged = {}
		for k, row in self.data.items():
			dst = merged.setdefault(k * self.width // w, {})
			for s, n in row.items():
				dst[s] = dst.get(s, 0) + n
		self.data = merged
		self.width = w

	def set_width_at_least(self, w):
		"""Widen to the first width >= w (to line up with another series)."""
		for nxt in WIDTHS:
			if nxt >= w or nxt == WIDTHS[-1]:
				if nxt > self.width:
					self._rebucket(nxt)
				return

	def start(self, b):
		return b * self.width + ORIGIN

	def series(self):
		names = set()
		for row in self.data.values():
			names.update(row)
		return sorted(names)
