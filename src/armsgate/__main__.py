"""`python -m armsgate`: the command line, as the `armsgate` script runs it."""

from armsgate.cli.app import main

main()
