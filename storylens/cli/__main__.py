"""`python -m storylens.cli`: the command line."""

from storylens.cli import main

main()
