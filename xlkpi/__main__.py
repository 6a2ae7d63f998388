"""`python -m xlkpi …` (`py -m xlkpi …` on Windows): the command line when Scripts\ is not on PATH."""
from .cli import app

app(prog_name="xlkpi")
