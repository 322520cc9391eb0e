"""``python -m katchi`` is the ``katchi`` command."""

from katchi.cli import main

main()
