"""Build the digest site: python build.py [build|serve|inspect FILE|add URL] — see README.md."""
from digest.cli import run

run()  # main()'s exit status (a finished build exits without freeing its heap: digest/quickexit.py)
