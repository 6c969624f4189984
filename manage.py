#!/usr/bin/env python
"""Django's command-line utility for Kith (the `kith` console command does the same)."""

from kith.cli import main

if __name__ == "__main__":
    main()
