"""pagesift: the command line that fronts the indexer, the web app and the workers."""
