"""Integrations with crawling and processing frameworks.

    scrapy.py   DetectorPipeline, a Scrapy item pipeline (also importable as detector.scrapy)
    spark.py    a Spark job cleaning the HTML responses of WARC files (`spark` extra)

An integration uses only the public API (`detector.Detector`, `detector.Options`,
`PageResult`, `detector.output`) and the reading and batch functions the CLI uses, so
it can never reach past a stage, and imports its framework itself: importing detector
never imports Scrapy or Spark.
"""
