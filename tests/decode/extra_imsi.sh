#!/bin/sh
# ss7watch as tshark_compare.py runs it, with an IMSI added to every MAP object: a decoder
# that prints what tshark does not decode, for the test that the comparison notices it.
"${SS7WATCH:?}" "$@" | sed 's/"map":{/"map":{"imsi":"001010000000001",/'
