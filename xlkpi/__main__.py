"""`python -m xlkpi …` (on Windows `py -m xlkpi …`) runs the `xlkpi` command."""
from .cli import app

app(prog_name="xlkpi")
