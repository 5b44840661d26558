"""version -- clickpy's version, as the router's ``version`` handler and the package report it."""

VERSION = "0.2.0"
