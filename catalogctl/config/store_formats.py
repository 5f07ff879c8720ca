"""Formats of the store settings Shoprocket and Shoplazza take; the catalog validator and the two
sandboxes check the same patterns, so `validate` refuses exactly what the store (as emulated) refuses.

Where the Shoprocket document is silent the reading is the strict one: a subdomain is one lower-case
DNS label, a phone number is digits with an optional leading `+`.
"""

from __future__ import annotations

import re

WEIGHT_UNITS = ("kg", "lb", "g", "oz")
DIMENSION_UNITS = ("mm", "cm", "in", "m", "yd")
SUBDOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
EMAIL = re.compile(r"[^@\s,]+@[^@\s,]+\.[^@\s,.]+")
PHONE = re.compile(r"\+?[0-9]{6,15}")
URL = re.compile(r"https?://[^\s/]+\S*")
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
LOCALE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
UTC_OFFSET = re.compile(r"[+-](?:0\d|1[0-4])[0-5]\d")  # Shoplazza's timezone: "+0800"
CURRENCY = re.compile(r"[A-Z]{3}")
