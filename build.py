"""Build the digest site: python build.py [build|serve|inspect FILE|add URL] — see README.md."""
from digest.cli import main

raise SystemExit(main())
