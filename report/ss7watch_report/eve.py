"""Streaming reader of EVE JSON files: one event at a time, whatever the file's size.

Every line is hostile until parsed: a line longer than MAX_LINE is skipped without being held
in memory, a line that is not a JSON object is counted and skipped, never fatal.
"""
import gzip
import io
import json
import sys

# An ss7watch line is a few KiB (16 related messages, 12 evidence values); 1 MiB is generous.
MAX_LINE = 1 << 20


class InputError(Exception):
	"""An input that cannot be opened or read (the message names it)."""


class ReadStats:
	"""What the reader saw, for the coverage section."""

	def __init__(self):
		self.lines = 0
		self.too_long = 0
		self.not_json = 0
		self.not_object = 0
		self.by_type = {}

	def bad(self):
		return self.too_long + self.not_json + self.not_object


def _open(path):
	if path == '-':
		return sys.stdin.buffer
	try:
		f = open(path, 'rb')
		# gzip by its magic, not its name: rotated files keep odd names
		if f.peek(2)[:2] == b'\x1f\x8b':
			return gzip.GzipFile(fileobj=f, mode='rb')
		return f
	except OSError as e:
		raise InputError('%s: %s' % (path, e.strerror or e)) from e


def _lines(f):
	"""Lines of at most MAX_LINE bytes; a longer one yields None (counted by the caller)."""
	while True:
		line = f.readline(MAX_LINE + 1)
		if not line:
			return
		if len(line) > MAX_LINE and not line.endswith(b'\n'):
			# skip the rest of the overlong line in bounded pieces
			while True:
				rest = f.readline(MAX_LINE)
				if not rest or rest.endswith(b'\n'):
					break
			yield None
			continue
		yield line


def events(paths, stats):
	"""Yield (path, event dict) for every JSON object line of every input, in order."""
	for path in paths:
		f = _open(path)
		try:
			for line in _lines(f):
				stats.lines += 1
				if line is None:
					stats.too_long += 1
					continue
				if not line.strip():
					stats.lines -= 1
					continue
				try:
					ev = json.loads(line)
				except ValueError:
					stats.not_json += 1
					continue
				if not isinstance(ev, dict):
					stats.not_object += 1
					continue
				et = ev.get('event_type')
				et = et if isinstance(et, str) else '(none)'
				# the types ss7watch writes, and a bounded number of others
				if et in stats.by_type or len(stats.by_type) < 32:
					stats.by_type[et] = stats.by_type.get(et, 0) + 1
				yield path, ev
		except (OSError, EOFError, gzip.BadGzipFile) as e:
			raise InputError('%s: line %d: %s' % (path, stats.lines, e)) from e
		finally:
			if f is not sys.stdin.buffer:
				f.close()
