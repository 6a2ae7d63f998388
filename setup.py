"""Only what pyproject.toml cannot say: the frameworks in templates/ ship as xlkpi._templates.

`templates/` stays at the top of the repository (the frameworks are data people edit and
review); the build maps it into the package as `xlkpi/_templates/`, where
`xlkpi.framework` finds it with importlib.resources (see templates/README.md).
"""
from setuptools import find_namespace_packages, setup

setup(
    packages=find_namespace_packages(include=["xlkpi", "xlkpi.*"], exclude=["*.__pycache__"]) + ["xlkpi._templates"],
    package_dir={"xlkpi._templates": "templates"},
    package_data={"xlkpi": ["data/*", "data/**/*"], "xlkpi._templates": ["*.yaml", "*.yml", "README.md"]},
)
