"""ipsummary -- Click's IP summary dump text format (ToIPSummaryDump, FromIPSummaryDump).

A dump is a '!IPSummaryDump 1.3' banner and a '!data FIELD...' line, then
one packet a line, one word per field, '-' for a field the packet lacks.

- octets.py: integers read from packet bytes
- summary.py: Summary, one packet as the writer sees it
- builder.py: Builder, one packet the reader makes, and its checksums
- values.py: the text of field values and back; options.py: IP and TCP options
- extract.py, inject.py: each field's value read from a Summary, written to a Builder
- fields.py: the field table (FIELDS, find_field, parse_fields, format_line)
- reader.py: dump lines to packets; writer.py: the header lines
"""
from clickpy.io.ipsummary.builder import Builder, set_checksums
from clickpy.io.ipsummary.fields import FIELDS, Field, find_field, format_line, parse_fields
from clickpy.io.ipsummary.options import fmt_ip_opt, fmt_tcp_opt, parse_ip_opt, parse_tcp_opt
from clickpy.io.ipsummary.summary import Summary
from clickpy.io.ipsummary.values import (
    fmt_frag,
    fmt_fragoff,
    fmt_tcp_flags,
    md5_text,
    parse_fragoff,
    parse_tcp_flags,
    quote_payload,
)
from clickpy.io.ipsummary.writer import DUMP_BANNER, header_lines

__all__ = ["Field", "FIELDS", "find_field", "Summary", "Builder", "format_line",
           "parse_fields", "quote_payload", "DUMP_BANNER", "header_lines", "set_checksums",
           "md5_text", "fmt_frag", "fmt_fragoff", "parse_fragoff", "fmt_tcp_flags",
           "parse_tcp_flags", "fmt_ip_opt", "parse_ip_opt", "fmt_tcp_opt", "parse_tcp_opt"]
