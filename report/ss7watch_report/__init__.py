"""ss7watch-report: audit report, CSV tables and MISP export from ss7watch EVE JSON files."""
