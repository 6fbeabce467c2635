"""One module per `pagesift` command group, each with ``register(subparsers)``."""
