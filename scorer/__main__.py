"""`python -m scorer`: the same command line as the `scorer` script."""

from scorer.cli import main

main()
