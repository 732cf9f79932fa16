"""`python -m simulator`: see simulator/cli.py for the commands."""

from simulator.cli import main

if __name__ == "__main__":
    main()
