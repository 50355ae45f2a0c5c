"""`detector.scrapy.DetectorPipeline`: the Scrapy item pipeline, under the name a
settings.py uses (it lives in `detector.integrations.scrapy`; needs `pip install 'detector[scrapy]'`)."""

from .integrations.scrapy import DetectorPipeline, PipelineSettings

__all__ = ["DetectorPipeline", "PipelineSettings"]
