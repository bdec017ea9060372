"""netcheck's version, in a module of its own so that any layer (the SARIF reporter, the CLI)
can read it without importing the package root (which imports every layer).

Input: nothing. Output: `__version__`, the same string as `version` in pyproject.toml (a test
keeps them equal).
"""

__version__ = "0.1.0"
