"""detector: keep the reporting of scraped news pages, label everything else."""

__version__ = "0.1.0"
